using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>Rejects an empty or over-long message at binding time.</summary>
    internal sealed class ValidateMessageAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var problem = ChatLimits.MessageProblem(arguments?.ToString());
            if (problem != null) throw new ValidationMetadataException(problem);
        }
    }
}
