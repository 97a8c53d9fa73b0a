namespace Orleans.Gan.Data.Download;

/// <summary>A file to download and the MD5 its publisher gives for it; <paramref name="IsZip"/> lets a wrong body be caught at its first bytes.</summary>
public sealed record ExpectedFile(string Name, string Md5, bool IsZip);
