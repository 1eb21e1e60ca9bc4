namespace SessionGrid.Tests.Infrastructure;

/// <summary>Where the fields of the live view's login page (<c>/live/login</c>) are, in CSS pixels of the viewport.</summary>
public static class LiveLogin
{
    public static readonly Box Email = new(40, 40, 300, 30);
    public static readonly Box Password = new(40, 100, 300, 30);
    public static readonly Box SignIn = new(40, 160, 120, 30);

    public static string Style(Box box) =>
        $"position:absolute;left:{box.Left}px;top:{box.Top}px;width:{box.Width}px;height:{box.Height}px;margin:0;padding:0;border:1px solid #888;box-sizing:border-box";

    public sealed record Box(int Left, int Top, int Width, int Height)
    {
        public double CenterX => Left + Width / 2.0;
        public double CenterY => Top + Height / 2.0;
    }
}
