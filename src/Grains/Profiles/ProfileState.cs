namespace SessionGrid.Grains.Profiles;

/// <summary>The persisted form of a profile: its saved storage state, what it holds, and who writes to it.</summary>
[GenerateSerializer, Alias("sg.ProfileState")]
public sealed class ProfileState
{
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public long CreatedAt { get; set; }

    /// <summary>Playwright's storage state JSON (cookies and localStorage per origin); null while never saved.</summary>
    [Id(2)] public string? StorageState { get; set; }

    [Id(3)] public long? LastSavedAt { get; set; }

    [Id(4)] public List<string> CookieDomains { get; set; } = [];

    [Id(5)] public int CookieCount { get; set; }

    /// <summary>The session that holds the write lock; null when none does.</summary>
    [Id(6)] public string? Writer { get; set; }

    /// <summary>When <see cref="Writer"/> took the lock (Unix ms).</summary>
    [Id(7)] public long WriterSince { get; set; }
}

/// <summary>The persisted profile index of a tenant: ids, oldest first.</summary>
[GenerateSerializer, Alias("sg.ProfileIndexState")]
public sealed class ProfileIndexState : Tenants.IIdList
{
    [Id(0)] public List<string> Ids { get; set; } = [];
}
