using FeedbackHub.Web.Features.Analytics;

namespace FeedbackHub.Web.Tests;

/// <summary>The figures' arithmetic and periods, checked against numbers worked out by hand.</summary>
public sealed class AnalyticsMathTests
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly DateOnly Today = new(2026, 11, 24);

    [Fact]
    public void Retention_Start200_New40_End190_Is75Percent()
    {
        var figure = new RetentionFigure(AtStart: 200, New: 40, AtEnd: 190);

        Assert.Equal((75.0m, 25.0m, 50), (figure.RetentionPercent, figure.ChurnPercent, figure.Lost));
    }

    [Fact]
    public void Retention_WithNobodyAtTheStart_IsNoFigure_NotZero()
    {
        var figure = new RetentionFigure(0, 12, 12);

        Assert.Null(figure.RetentionPercent);
        Assert.Null(figure.ChurnPercent);
    }

    [Fact]
    public void Retention_RoundsToOneDecimal_HalfAwayFromZero()
    {
        // (2 − 0) ÷ 3 = 66.666… → 66.7; (1 − 0) ÷ 8 = 12.5 exactly.
        Assert.Equal(66.7m, new RetentionFigure(3, 0, 2).RetentionPercent);
        Assert.Equal(12.5m, new RetentionFigure(8, 0, 1).RetentionPercent);
    }

    [Fact]
    public void Uplift_27PercentOf1000_Against22PercentOf1000_Is5PointsWithItsInterval()
    {
        var uplift = Uplift.Between(1_000, 270, 1_000, 220)!;

        // SE = √(0.27·0.73/1000 + 0.22·0.78/1000) = 0.0192016; 1.96 × 1.92016 = 3.7635 points either side.
        Assert.Equal(5.0, uplift.Points, 6);
        Assert.Equal(1.237, uplift.Low, 3);
        Assert.Equal(8.763, uplift.High, 3);
        Assert.True(uplift.Significant);
        Assert.Equal("+5.0 points (95 % interval 1.2 to 8.8)", uplift.Describe());
    }

    [Fact]
    public void Uplift_OnSmallGroups_SpansZero_AndSaysNotSignificantYet()
    {
        var uplift = Uplift.Between(100, 27, 100, 22)!;

        Assert.False(uplift.Significant);
        Assert.EndsWith("not significant yet", uplift.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Uplift_WithAnEmptyGroup_IsNoFigure()
    {
        Assert.Null(Uplift.Between(0, 0, 100, 20));
        Assert.Null(Uplift.Between(100, 20, 0, 0));
    }

    [Fact]
    public void Month_StartsAndEndsAtMidnightInTheShopsZone_AcrossTheClockChange()
    {
        var october = ReportPeriod.Month(2026, 10, Amsterdam);

        // Summer time until 25 October: October starts 22:00 UTC the evening before; winter time at its end: 23:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 9, 30, 22, 0, 0, TimeSpan.Zero), october.Start);
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), october.End);
        Assert.Equal(("2026-10", 31), (october.Label, october.Days));
    }

    [Theory]
    [InlineData("2026-10", null, null, "2026-10")]
    [InlineData("2026-Q3", null, null, "2026-Q3")]
    [InlineData("2026-q1", null, null, "2026-Q1")]
    [InlineData(null, "2026-01-15", "2026-03-31", "2026-01-15..2026-03-31")]
    [InlineData(null, null, null, "2026-10")]
    public void Parse_ReadsMonthsQuartersAndRanges(string? period, string? from, string? to, string label)
    {
        var result = ReportPeriod.Parse(period, from, to, Today, Amsterdam);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal(label, result.Value!.Label);
    }

    [Theory]
    [InlineData("2026-13", null, null, "period", "'2026-13' is not a period: use a month such as 2026-10 or a quarter such as 2026-Q3.")]
    [InlineData("2026-Q5", null, null, "period", "'2026-Q5' is not a period: use a month such as 2026-10 or a quarter such as 2026-Q3.")]
    [InlineData("2026-10", "2026-01-01", null, "period", "Give either period or from and to, not both.")]
    [InlineData(null, "2026-01-01", null, "to", "Give to as well, as yyyy-MM-dd.")]
    [InlineData(null, "1/2/2026", "2026-03-01", "from", "'1/2/2026' is not a date: use yyyy-MM-dd.")]
    [InlineData(null, "2026-03-01", "2026-02-01", "to", "The last day comes before the first day.")]
    [InlineData(null, "2010-01-01", "2026-01-01", "to", "A range is at most 1,830 days.")]
    [InlineData("1999-12", null, null, "period", "Periods lie between the years 2000 and 2100.")]
    public void Parse_NamesWhatIsWrong(string? period, string? from, string? to, string field, string message)
    {
        var result = ReportPeriod.Parse(period, from, to, Today, Amsterdam);

        Assert.False(result.Succeeded);
        Assert.Equal(message, result.Errors[field].Single());
    }

    [Fact]
    public void Previous_IsTheSameKindJustBefore()
    {
        Assert.Equal("2025-12", ReportPeriod.Month(2026, 1, Amsterdam).Previous(Amsterdam).Label);
        Assert.Equal("2025-Q4", ReportPeriod.Quarter(2026, 1, Amsterdam).Previous(Amsterdam).Label);
        Assert.Equal("2026-01-01..2026-01-10", ReportPeriod.Custom(new(2026, 1, 11), new(2026, 1, 20), Amsterdam).Previous(Amsterdam).Label);
    }
}
