using Google.Protobuf;
using Tensorboard;

namespace Orleans.Gan.Core.TensorBoard;

/// <summary>
/// A run's TensorBoard folder, written by one process at a time: scalars and images by step, in an event file of its
/// own. A writer that takes over the run (after a failover or a resume) first reads what its predecessors wrote and
/// leaves out every tag's steps they already have. A run that goes back to a checkpoint takes those steps again with
/// the same numbers, as resuming is exact, so the curves stay one line with no step twice.
/// </summary>
public sealed class TensorBoardLog : IDisposable
{
    // Colour type of TensorBoard's Image message: 3 is RGB.
    private const int Rgb = 3;
    private readonly EventFile file;
    private readonly IReadOnlyDictionary<string, long> writtenThrough;

    private TensorBoardLog(EventFile file, IReadOnlyDictionary<string, long> writtenThrough)
    {
        this.file = file;
        this.writtenThrough = writtenThrough;
    }

    public string Path => file.Path;

    /// <summary>Opens <paramref name="folder"/> for this writer; throws an <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> where it cannot be written.</summary>
    public static TensorBoardLog Open(string folder)
    {
        var written = new Dictionary<string, long>();
        if (Directory.Exists(folder))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*tfevents*"))
                foreach (var entry in EventFile.Read(path))
                    foreach (var value in entry.Summary?.Value ?? [])
                        written[value.Tag] = Math.Max(entry.Step, written.GetValueOrDefault(value.Tag, long.MinValue));
        }
        return new TensorBoardLog(EventFile.Create(folder), written);
    }

    /// <summary>The step up to which <paramref name="tag"/> was written before this writer opened the folder, if it was.</summary>
    public long? WrittenThrough(string tag) => writtenThrough.TryGetValue(tag, out var step) ? step : null;

    /// <summary>Writes <paramref name="values"/> at <paramref name="step"/>, less those whose tag has this step already.</summary>
    public void Scalars(long step, IEnumerable<(string Tag, double Value)> values)
    {
        var summary = new Summary();
        foreach (var (tag, value) in values)
            if (IsNew(tag, step))
                summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = (float)value });
        Write(step, summary);
    }

    /// <summary>Writes an RGB PNG at <paramref name="step"/>.</summary>
    public void Image(long step, string tag, byte[] png)
    {
        if (!IsNew(tag, step))
            return;
        var size = SixLabors.ImageSharp.Image.Identify(png);
        var image = new Summary.Types.Image { Width = size.Width, Height = size.Height, Colorspace = Rgb, EncodedImageString = ByteString.CopyFrom(png) };
        var summary = new Summary();
        summary.Value.Add(new Summary.Types.Value { Tag = tag, Image = image });
        Write(step, summary);
    }

    private bool IsNew(string tag, long step) => !writtenThrough.TryGetValue(tag, out var last) || step > last;

    private void Write(long step, Summary summary)
    {
        if (summary.Value.Count > 0)
            file.Append(new Event { WallTime = EventFile.WallTime(DateTimeOffset.UtcNow), Step = step, Summary = summary });
    }

    public void Dispose() => file.Dispose();
}
