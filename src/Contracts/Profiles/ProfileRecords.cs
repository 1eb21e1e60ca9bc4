using System.Text.RegularExpressions;

namespace SessionGrid.Contracts.Profiles;

/// <summary>Why a profile did not do what was asked.</summary>
[GenerateSerializer, Alias("sg.ProfileRefusal")]
public enum ProfileRefusal
{
    None = 0,
    /// <summary>There is no profile under this id (for this tenant).</summary>
    NotFound = 1,
    /// <summary>A profile with this id already exists.</summary>
    Exists = 2,
    /// <summary>Another running session writes to the profile.</summary>
    Busy = 3,
    /// <summary>The tenant already holds as many profiles as it may.</summary>
    LimitReached = 4,
    /// <summary>The session saving does not hold the profile's write lock.</summary>
    NotWriter = 5,
    /// <summary>The state is larger than a profile may hold.</summary>
    TooLarge = 6,
}

/// <summary>How a session uses a profile: its id, and whether the session's changes are kept.</summary>
[GenerateSerializer, Alias("sg.ProfileUse")]
public sealed record ProfileUse([property: Id(0)] string ProfileId, [property: Id(1)] bool ReadOnly);

/// <summary>A profile handed to a session: the refusal, or the saved storage state (null while nothing was saved).</summary>
[GenerateSerializer, Alias("sg.ProfileCheckout")]
public sealed record ProfileCheckout([property: Id(0)] ProfileRefusal Refusal, [property: Id(1)] string? StorageState)
{
    public bool Ok => Refusal == ProfileRefusal.None;
}

/// <summary>
/// What a profile holds, without any cookie value: the domains its cookies belong to, how many there are, the size of
/// its saved state, and when it was created and last saved (Unix ms; null while never saved).
/// </summary>
[GenerateSerializer, Alias("sg.ProfileInfo")]
public sealed record ProfileInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyList<string> CookieDomains,
    [property: Id(2)] int CookieCount,
    [property: Id(3)] long SizeBytes,
    [property: Id(4)] long CreatedAt,
    [property: Id(5)] long? LastSavedAt);

/// <summary>The grain key of a tenant's profile, and the shape of a profile id.</summary>
public static partial class ProfileKey
{
    public const int MaxIdLength = 64;

    public static string Of(string tenant, string profileId) => $"{tenant}/{profileId}";

    public static (string Tenant, string ProfileId) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash > 0 ? (key[..slash], key[(slash + 1)..]) : throw new ArgumentException($"'{key}' is not a profile key", nameof(key));
    }

    /// <summary>An id a client may choose: 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>The message for a <paramref name="field"/> that is not a profile id.</summary>
    public static string InvalidId(string field) =>
        $"{field} must be 1 to {MaxIdLength} letters, digits, '_', '-' or '.', starting with a letter or digit";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex IdPattern();
}
