namespace Orleans.Gan.Data;

/// <summary>CelebA's evaluation split; the values are the codes used in list_eval_partition.txt.</summary>
public enum DataPartition
{
    Train = 0,
    Valid = 1,
    Test = 2,
}
