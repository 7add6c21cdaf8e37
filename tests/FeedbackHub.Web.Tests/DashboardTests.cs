using System.Net;
using System.Text;
using Bunit;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Analytics.Pages;

namespace FeedbackHub.Web.Tests;

/// <summary>The dashboards' own components (bUnit), the CSV export, and who may read the pages.</summary>
public sealed class DashboardTests : BunitContext
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Fact]
    public void KpiTile_RetentionUp_SaysPointsAndIsGood()
    {
        var tile = Render<KpiTile>(p => p.Add(t => t.Label, "Retention rate").Add(t => t.IsPercent, true)
            .Add(t => t.Value, 75.0m).Add(t => t.Previous, 72.5m).Add(t => t.PreviousLabel, "2026-09"));

        Assert.Equal("75.0 %", tile.Find(".tile-value").TextContent);
        var change = tile.Find(".kpi-change");
        Assert.Contains("kpi-better", change.ClassList);
        Assert.Contains("+2.5 points vs 2026-09 (72.5 %)", change.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void KpiTile_ChurnUp_IsBad_AndCountsHaveNoPoints()
    {
        var churn = Render<KpiTile>(p => p.Add(t => t.Label, "Churn rate").Add(t => t.IsPercent, true).Add(t => t.HigherIsBetter, false)
            .Add(t => t.Value, 30m).Add(t => t.Previous, 25m));
        var lost = Render<KpiTile>(p => p.Add(t => t.Label, "Customers lost").Add(t => t.HigherIsBetter, false)
            .Add(t => t.Value, 1200m).Add(t => t.Previous, 1500m));

        Assert.Contains("kpi-worse", churn.Find(".kpi-change").ClassList);
        Assert.Contains("kpi-better", lost.Find(".kpi-change").ClassList);
        Assert.Contains("-300 vs previous period (1,500)", lost.Find(".kpi-change").TextContent, StringComparison.Ordinal);
        Assert.Equal("1,200", lost.Find(".tile-value").TextContent);
    }

    [Fact]
    public void KpiTile_NoFigure_ShowsADashAndWhy()
    {
        var tile = Render<KpiTile>(p => p.Add(t => t.Label, "Retention rate").Add(t => t.IsPercent, true)
            .Add(t => t.Value, null).Add(t => t.Previous, 80m).Add(t => t.EmptyHint, "Nobody was a customer at the start of the period."));

        Assert.Equal("–", tile.Find(".tile-value").TextContent);
        Assert.Empty(tile.FindAll(".kpi-change"));
        Assert.Equal("Nobody was a customer at the start of the period.", tile.Find(".hint").TextContent);
    }

    [Fact]
    public void CohortHeatMap_ShadesEachCellBySharesAndLeavesFutureMonthsBlank()
    {
        var september = new Cohort(ReportPeriod.Month(2026, 9, Amsterdam), 200, [200, 50, 8]);
        var october = new Cohort(ReportPeriod.Month(2026, 10, Amsterdam), 40, [40, 15]);
        var november = new Cohort(ReportPeriod.Month(2026, 11, Amsterdam), 0, [0]);

        var map = Render<CohortHeatMap>(p => p.Add(m => m.Cohorts, [september, october, november]));

        var rows = map.FindAll("tbody tr");
        Assert.Equal(3, rows.Count);
        var first = rows[0].QuerySelectorAll("td");
        Assert.Equal(["200", "100.0 %", "25.0 %", "4.0 %"], first.Select(c => c.TextContent.Trim()));
        Assert.Contains("background:#1a4a94;color:#ffffff", first[1].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("background:#8eaee0", first[2].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("background:#f2f6fc", first[3].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal("2026-09: 50 of 200 customers ordered in month 1", first[2].GetAttribute("title"));
        // October has no third month yet; an empty cohort has no share at all.
        Assert.Equal(["40", "100.0 %", "37.5 %", "not yet"], rows[1].QuerySelectorAll("td").Select(c => c.TextContent.Trim()));
        Assert.Equal(["0", "not yet", "not yet", "not yet"], rows[2].QuerySelectorAll("td").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public void UpliftBar_DrawsTheIntervalAroundZero_AndSaysWhetherItIsSignificant()
    {
        var clear = new HoldoutComparison(new Uplift(5, 1, 9), null, null, null, null);
        var unsure = new HoldoutComparison(new Uplift(2, -1, 5), null, null, null, null);

        var bar = Render<UpliftBar>(p => p.Add(b => b.Comparison, clear).Add(b => b.Scale, 10));
        var open = Render<UpliftBar>(p => p.Add(b => b.Comparison, unsure).Add(b => b.Scale, 10));
        var none = Render<UpliftBar>(p => p.Add(b => b.Comparison, new HoldoutComparison(null, null, null, null, null)));

        var figure = bar.Find("[role=img]");
        Assert.Contains("uplift-significant", figure.ClassList);
        Assert.Equal("+5.0 points (95 % interval 1.0 to 9.0)", figure.GetAttribute("aria-label"));
        Assert.Equal("left:50%", bar.Find(".uplift-zero").GetAttribute("style"));
        Assert.Equal("left:55%;width:40%", bar.Find(".uplift-interval").GetAttribute("style"));
        Assert.Equal("left:75%", bar.Find(".uplift-point").GetAttribute("style"));
        Assert.Contains("uplift-unsure", open.Find("[role=img]").ClassList);
        Assert.EndsWith("not significant yet", open.Find("[role=img]").GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Empty(none.FindAll("[role=img]"));
        Assert.Equal(9, UpliftBar.ScaleFor([clear, unsure, null]));
        Assert.Equal(5, UpliftBar.ScaleFor([null]));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+31 6 1234", "'+31 6 1234")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("Jansen, Piet", "\"Jansen, Piet\"")]
    [InlineData("gewoon tekst", "gewoon tekst")]
    public void CsvExport_EscapesFormulasAndQuotes(string text, string cell)
    {
        var csv = Encoding.UTF8.GetString(CsvExport.Write(new CsvTable(["name"], [[text]])));

        Assert.Equal("\uFEFFname\r\n" + cell + "\r\n", csv);
    }

    [Fact]
    public void CsvExport_WritesNumbersAsNumbers()
    {
        var csv = Encoding.UTF8.GetString(CsvExport.Write(new CsvTable(["month", "uplift", "count", "rate"], [["2026-10", -2.5m, 1200, null]])));

        Assert.EndsWith("month,uplift,count,rate\r\n2026-10,-2.5,1200,\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void DashboardQuery_KeepsOnlyWhatIsGiven_Encoded()
    {
        Assert.Equal("", new DashboardQuery().ToQueryString());
        Assert.Equal("?from=2026-01-01&to=2026-03-31&language=nl&campaign=3",
            new DashboardQuery(From: "2026-01-01", To: "2026-03-31", Language: "nl", Campaign: "3").ToQueryString());
        Assert.Equal("?period=2026-Q3&segment=a%26b", new DashboardQuery("2026-Q3", Segment: "a&b").ToQueryString());
    }

    [Fact]
    public void DashboardQuery_NamesEveryMistake()
    {
        var result = new DashboardQuery("2026-13", Language: "de", Segment: "vip").Resolve(new DateOnly(2026, 11, 24), Amsterdam);

        Assert.False(result.Succeeded);
        Assert.Equal(["language", "period", "segment"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }
}

/// <summary>The dashboard pages and their CSV exports over HTTP, signed in as each role.</summary>
public sealed class DashboardAccessTests : IDisposable
{
    private readonly FeedbackHubFactory _app = new();

    [Theory]
    [InlineData(StaffRoles.Marketer)]
    [InlineData(StaffRoles.SupportLead)]
    [InlineData(StaffRoles.Admin)]
    public async Task EveryStaffRole_ReadsEveryDashboard(string role)
    {
        using var session = await _app.SignedInAsync($"{role.ToUpperInvariant()}@example.com", role);

        foreach (var (path, label) in DashboardNav.Pages)
        {
            var html = await session.GetPageAsync("/" + path);
            Assert.Contains($"aria-current=\"page\">{label}</a>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Export_EmptyInstallation_GivesHeadersAndAnAttachment()
    {
        using var session = await _app.SignedInAsync("lead@example.com", StaffRoles.SupportLead);

        using var response = await session.Client.GetAsync(new Uri("/dashboards/export/retention.csv?period=2026-10&language=nl", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("retention-2026-10.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("month,customers_at_start,new_customers,customers_at_end,customers_lost,retention_percent,churn_percent", lines[0].TrimStart('\uFEFF'));
        Assert.Equal(13, lines.Length);
        Assert.Equal("2026-10,0,0,0,0,,", lines[^1]);
    }

    [Fact]
    public async Task Export_WrongParameterOrTable_AnswersProblemDetails()
    {
        using var session = await _app.SignedInAsync("marketer@example.com", StaffRoles.Marketer);

        using var wrong = await session.Client.GetAsync(new Uri("/dashboards/export/cohorts.csv?period=2026-14&segment=vip", UriKind.Relative));
        using var unknown = await session.Client.GetAsync(new Uri("/dashboards/export/salaries.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var problem = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("'2026-14' is not a period", problem, StringComparison.Ordinal);
        Assert.Contains("'vip' is not a segment", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no dashboard table 'salaries'", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_WithoutSigningIn_GivesNothing()
    {
        using var client = _app.CreateBrowserLikeClient();

        using var response = await client.GetAsync(new Uri("/dashboards/export/retention.csv", UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("customers_at_start", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();
}
