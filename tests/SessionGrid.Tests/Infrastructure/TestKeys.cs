namespace SessionGrid.Tests.Infrastructure;

public static class TestKeys
{
    public const string A = "test-key-alpha";
    public const string B = "test-key-bravo";
}
