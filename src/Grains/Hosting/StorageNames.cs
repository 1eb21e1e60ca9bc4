namespace SessionGrid.Grains.Hosting;

/// <summary>The grain storage provider every persistent grain uses (SQLite when embedded, PostgreSQL in a cluster).</summary>
public static class StorageNames
{
    public const string Default = "sessiongrid";
}
