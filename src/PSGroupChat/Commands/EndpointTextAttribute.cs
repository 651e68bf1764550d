using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Turns a member (ChatPeer) or a ChatEndpoint given to an endpoint parameter into its host:port text, so that
    /// <c>Get-ChatPeer | Connect-ChatPeer</c> dials each member's endpoint instead of binding the member's ToString.
    /// </summary>
    internal sealed class EndpointTextAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string || value == null) return inputData;
            if (value is IEnumerable many)
            {
                var texts = new List<object?>();
                foreach (var item in many) texts.Add(Text(item));
                return texts.ToArray();
            }
            return Text(value);
        }

        private static object? Text(object? item) =>
            (item is PSObject wrapped ? wrapped.BaseObject : item) switch
            {
                ChatPeer peer => peer.Endpoint?.ToString(),
                ChatEndpoint endpoint => endpoint.ToString(),
                _ => item,
            };
    }
}
