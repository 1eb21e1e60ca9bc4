namespace SessionGrid.Api.Http;

/// <summary>A parsed request body, or the client error (status and message) that explains why there is none.</summary>
public readonly record struct BodyResult<T>(T? Value, int Status, string? Error)
{
    public bool Ok => Error is null;

    public static BodyResult<T> Fail(int status, string error) => new(default, status, error);
}
