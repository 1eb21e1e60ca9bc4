namespace SessionGrid.Api.Auth;

/// <summary>The admin keys (<c>SessionGrid:AdminKeys</c>, as hashes): they manage issued keys and are no tenant's key.</summary>
public sealed record AdminKeyRegistry(ApiKeyRegistry Keys)
{
    public const string Setting = "SessionGrid:AdminKeys";
}
