using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>Rejects a user name at binding time with the same rule the chat applies on the wire.</summary>
    internal sealed class ValidateUserNameAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var problem = ChatLimits.UserNameProblem(arguments as string);
            if (problem != null) throw new ValidationMetadataException(problem);
        }
    }
}
