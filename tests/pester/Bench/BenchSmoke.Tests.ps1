#Requires -Version 7.4

# A smoke test of the benchmark (issue 16): its quick run must complete, every benchmark with it. No figure is
# asserted: timings on a shared CI machine prove nothing, and docs/performance.md reports the full run.
Describe 'The benchmark' {
    It 'completes a --quick run with every benchmark and writes its table' {
        $root = Resolve-Path (Join-Path $PSScriptRoot '..' '..' '..')
        $project = Join-Path $root 'bench' 'PSGroupChat.Bench'
        $json = Join-Path ([IO.Path]::GetTempPath()) "psgroupchat-bench-$([guid]::NewGuid().ToString('N')).json"
        try {
            $table = & dotnet run -c Release --project $project -- --quick --json $json 2>&1 | Out-String
            $LASTEXITCODE | Should -Be 0 -Because "the quick run must complete; it printed:`n$table"
            foreach ($benchmark in 'Broadcast throughput', 'Latency', 'Mesh formation') {
                $table | Should -Match ([regex]::Escape("| $benchmark")) -Because "the table has the $benchmark rows"
            }
            # Issue 15: the encrypted rows stand beside the plaintext ones.
            $table | Should -Match ([regex]::Escape('| PSGroupChat TLS |')) -Because 'the table has the TLS rows'
            $table | Should -Match ([regex]::Escape('| PSGroupChat TLS / PSGroupChat (plaintext) |')) -Because 'the table compares TLS with plaintext'
            Test-Path -LiteralPath $json | Should -BeTrue
        }
        finally {
            Remove-Item -LiteralPath $json -ErrorAction SilentlyContinue
        }
    }
}
