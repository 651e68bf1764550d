using System.Management.Automation;
using System.Security;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Makes a strong random shared secret for a chat (-SharedSecret).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ChatSecret")]
    [OutputType(typeof(SecureString), typeof(string))]
    public sealed class NewChatSecretCommand : PSCmdlet
    {
        /// <summary>Writes the secret as plain text, to hand to the other members over a channel you trust; by default a SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        /// <summary>Writes one new secret: 32 random bytes as 43 characters of unpadded base64url.</summary>
        protected override void EndProcessing()
        {
            var text = Security.SecretStrength.NewSecret();
            if (AsPlainText)
            {
                WriteObject(text);
                return;
            }
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            WriteObject(secure);
        }
    }
}
