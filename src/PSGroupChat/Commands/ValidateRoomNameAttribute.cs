using System.Management.Automation;
using PSGroupChat.Discovery;

namespace PSGroupChat.Commands
{
    /// <summary>Rejects a room name at binding time with the rule the engine applies before announcing it.</summary>
    internal sealed class ValidateRoomNameAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var problem = RoomName.Problem(arguments as string);
            if (problem != null) throw new ValidationMetadataException(problem);
        }
    }
}
