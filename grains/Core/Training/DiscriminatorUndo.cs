using System.Text;
using TorchSharp.Modules;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// Takes D back to where a step began, after D's Adam step, when the step cannot be finished: its G phase needs
/// workers on silos that are all leaving, as when every silo of a job is stopped at once. The step is then not taken
/// at all, so the stop checkpoint is of the last whole step and resuming from it is exact. D's parameters come from
/// the copy the caller offered the D phase; D's Adam state is captured here, in its checkpoint format, into a buffer
/// reused every step. Capturing reads the state only, so it can overlap the D phase's fan-out.
/// </summary>
public sealed class DiscriminatorUndo(Adam discriminatorAdam, TensorBlock discriminatorParameters)
{
    private readonly MemoryStream adamState = new();

    /// <summary>Keeps D's Adam state as it is now, before its step.</summary>
    public void Capture()
    {
        adamState.SetLength(0);
        using var writer = new BinaryWriter(adamState, Encoding.UTF8, leaveOpen: true);
        discriminatorAdam.save_state_dict(writer);
    }

    /// <summary>D's parameters from <paramref name="parametersBefore"/> and its Adam state as last captured.</summary>
    public void Restore(ReadOnlySpan<byte> parametersBefore)
    {
        discriminatorParameters.WriteValues(parametersBefore);
        adamState.Position = 0;
        using var reader = new BinaryReader(adamState, Encoding.UTF8, leaveOpen: true);
        discriminatorAdam.load_state_dict(reader);
    }
}
