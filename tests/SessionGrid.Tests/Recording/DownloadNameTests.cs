using SessionGrid.Grains.Downloads;

namespace SessionGrid.Tests.Recording;

/// <summary>Whatever name a page or server suggests, a download is kept under one plain, short, unique file name.</summary>
public sealed class DownloadNameTests
{
    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\system.ini", "system.ini")]
    [InlineData("a\0b.txt", "a_b.txt")]
    [InlineData("line\r\nbreak.csv", "line__break.csv")]
    [InlineData("..", "download")]
    [InlineData(".", "download")]
    [InlineData("", "download")]
    [InlineData(null, "download")]
    [InlineData("dir/", "download")]
    [InlineData("  report?.pdf  ", "report_.pdf")]
    [InlineData(".hidden", "hidden")]
    [InlineData("résumé.pdf", "résumé.pdf")]
    public void A_suggested_name_becomes_a_plain_file_name(string? suggested, string kept) =>
        Assert.Equal(kept, DownloadNames.Safe(suggested));

    [Fact]
    public void A_500_character_name_is_shortened_keeping_its_extension()
    {
        var kept = DownloadNames.Safe(new string('x', 500) + ".tar.gz");
        Assert.Equal(DownloadNames.MaxLength, kept.Length);
        Assert.EndsWith("x.gz", kept);
    }

    [Fact]
    public void A_taken_name_gets_a_number_and_stays_short()
    {
        var taken = new HashSet<string> { "report.csv", "report (2).csv" };
        Assert.Equal("report (3).csv", DownloadNames.Unique("report.csv", taken.Contains));
        Assert.Equal("other.csv", DownloadNames.Unique("other.csv", taken.Contains));
        var longName = DownloadNames.Safe(new string('y', 300) + ".txt");
        var second = DownloadNames.Unique(longName, n => n == longName);
        Assert.Equal(DownloadNames.MaxLength, second.Length);
        Assert.EndsWith(" (2).txt", second);
    }
}
