using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;

namespace Orleans.Gan.Core.Tests.Data;

public sealed class HeldOutImagesTests : IDisposable
{
    // 48 train, 6 valid, 6 test in CelebA's proportions: valid is 000049.jpg to 000054.jpg.
    private const int ImageCount = 60;
    private readonly TempFolder _temp = new();
    private readonly string _root;

    public HeldOutImagesTests()
    {
        _root = _temp.Combine("celeba");
        SyntheticFaceWriter.Write(_root, ImageCount, seed: 6);
    }

    [Fact]
    public void WithPartitionFile_TakesTheFirstValidationImages_PreprocessedAsForTraining()
    {
        var log = new List<string>();
        HeldOutImages held = HeldOutImages.Read(_root, 4, 64, log.Add);

        Assert.Equal(HeldOutOrigin.ValidationPartition, held.Origin);
        Assert.Equal(["000049.jpg", "000050.jpg", "000051.jpg", "000052.jpg"], held.Names);
        Assert.Equal(64, held.ImageSize);
        Assert.Equal(Preprocessed(held.Names, 64), held.Pixels);
        Assert.Contains(log, line => line.Contains("validation partition"));
    }

    [Fact]
    public void MoreThanTheValidationPartitionHolds_ReturnsAllOfIt()
    {
        HeldOutImages held = HeldOutImages.Read(_root, 50, 28);

        Assert.Equal(SyntheticFaceWriter.PartitionSizes(ImageCount).Valid, held.Count);
        Assert.Equal(Enumerable.Range(48, held.Count).Select(SyntheticFaceWriter.ImageName), held.Names);
        Assert.Equal(held.Count * 3 * 28 * 28, held.Pixels.Length);
    }

    [Fact]
    public void WithoutPartitionFile_TakesTheLastImages_InNameOrder_AndSaysTrainingReadsThem()
    {
        File.Delete(Path.Combine(_root, CelebaSource.PartitionFileName));
        var log = new List<string>();

        HeldOutImages held = HeldOutImages.Read(_root, 3, 28, log.Add);

        Assert.Equal(HeldOutOrigin.TailOfTrain, held.Origin);
        Assert.Equal(["000058.jpg", "000059.jpg", "000060.jpg"], held.Names);
        Assert.Equal(Preprocessed(held.Names, 28), held.Pixels);
        Assert.Contains(log, line => line.Contains("training also reads"));
    }

    [Fact]
    public void UnusableFiles_AreSkipped_AndTheNextNamesTaken()
    {
        string images = Path.Combine(_root, CelebaSource.ImageFolderName);
        File.WriteAllBytes(Path.Combine(images, "000050.jpg"), TestImages.TruncatedJpeg());
        File.WriteAllBytes(Path.Combine(images, "000051.jpg"), []);
        var log = new List<string>();

        HeldOutImages held = HeldOutImages.Read(_root, 3, 28, log.Add);

        Assert.Equal(["000049.jpg", "000052.jpg", "000053.jpg"], held.Names);
        Assert.Equal([SkipReason.Truncated, SkipReason.EmptyFile], held.Skipped.Select(skip => skip.Reason));
        Assert.Equal(Preprocessed(held.Names, 28), held.Pixels);
        Assert.Single(log, line => line.Contains("000050.jpg"));
    }

    [Fact]
    public void NoUsableImage_Throws()
    {
        foreach (string name in Enumerable.Range(48, 6).Select(SyntheticFaceWriter.ImageName))
        {
            File.WriteAllBytes(Path.Combine(_root, CelebaSource.ImageFolderName, name), []);
        }

        Assert.Throws<DatasetException>(() => HeldOutImages.Read(_root, 2, 28));
    }

    public void Dispose() => _temp.Dispose();

    private byte[] Preprocessed(IEnumerable<string> names, int imageSize)
    {
        var preprocessor = new FacePreprocessor(imageSize);
        return [.. names.SelectMany(name => preprocessor.Process(File.ReadAllBytes(Path.Combine(_root, CelebaSource.ImageFolderName, name))).Pixels!)];
    }
}
