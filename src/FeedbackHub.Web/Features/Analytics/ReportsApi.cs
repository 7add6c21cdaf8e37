using System.Globalization;
using FeedbackHub.Data.Customers;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Email;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>The period a figure covers: whole days in the shop's time zone, and the UTC range the counts used.</summary>
public sealed record PeriodView(string Label, DateOnly FirstDay, DateOnly LastDay, DateTimeOffset Start, DateTimeOffset End)
{
    public static PeriodView Of(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return new(period.Label, period.FirstDay, period.LastDay, period.Start, period.End);
    }
}

/// <summary>Retention with the counts it was computed from.</summary>
public sealed record RetentionView(PeriodView Period, int CustomersAtStart, int NewCustomers, int CustomersAtEnd, int CustomersLost, decimal? RetentionRate, decimal? ChurnRate)
{
    public static RetentionView Of(ReportPeriod period, RetentionFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return new(PeriodView.Of(period), figure.AtStart, figure.New, figure.AtEnd, figure.Lost, figure.RetentionPercent, figure.ChurnPercent);
    }
}

/// <summary>One cohort row of the heat map: <see cref="Active"/>[N] customers (<see cref="Percent"/>[N] %) bought again N months after their first month.</summary>
public sealed record CohortView(string Month, int Customers, IReadOnlyList<int> Active, IReadOnlyList<decimal?> Percent);

/// <summary>A period's retention and the period before it, for the trend.</summary>
public sealed record RetentionReportView(RetentionView Current, RetentionView Previous);

/// <summary>
/// <c>/api/v1/reports/…</c>: every dashboard figure as JSON for a shop's BI tools, with the pages'
/// filters as query parameters (API key scope <c>read</c>).
/// </summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var reports = api.MapGroup("/reports").RequireAuthorization(ApiKeysFeature.ReadPolicy).WithTags("Reports");
        reports.MapGet("/retention", RetentionAsync)
            .WithSummary("Customer retention and churn rate for a period, with customers at start, new and at end, beside the period before.")
            .WithDescription("period=2026-10 (month) or 2026-Q3 (quarter), or from=yyyy-MM-dd&to=yyyy-MM-dd (days included); default the last full month. "
                + "Filters: language=en|nl, segment=subscribers|buyers, campaign={id}. Days are in the shop's time zone (Email:DefaultTimeZone).");
        reports.MapGet("/cohorts", CohortsAsync)
            .WithSummary("Cohort retention: customers by first-purchase month, and how many of each bought again in each later month.")
            .WithDescription("last=yyyy-MM (default: the current month), months=1..36 (default 12), and the same filters as /retention.");
        reports.MapCampaignReportsApi();
        reports.MapSurveyReportsApi();
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<CohortView>>, ValidationProblem>> CohortsAsync(
        string? last, string? months, string? language, string? segment, string? campaign,
        CohortReport report, IOptions<EmailOptions> emailOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(emailOptions);
        var zone = emailOptions.Value.ShopZone;
        var filter = ParseFilter(language, segment, campaign, out var errors);
        var lastMonth = QueryParameters.Month("last", last, errors) ?? emailOptions.Value.ShopToday(time);
        var count = QueryParameters.Whole("months", months, 1, CohortReport.MaxMonths, errors) ?? 12;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var cohorts = await report.CohortsAsync(lastMonth, count, zone, filter, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<CohortView>>([.. cohorts.Select(c =>
            new CohortView(c.Month.Label, c.Customers, c.Active, [.. Enumerable.Range(0, c.Active.Count).Select(c.PercentAt)]))]);
    }

    public static async Task<Results<Ok<RetentionReportView>, ValidationProblem>> RetentionAsync(
        string? period, string? from, string? to, string? language, string? segment, string? campaign,
        RetentionReport report, IOptions<EmailOptions> emailOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emailOptions);
        var zone = emailOptions.Value.ShopZone;
        var query = new DashboardQuery(period, from, to, language, segment, campaign).Resolve(emailOptions, time);
        if (!query.Succeeded)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        var (parsedPeriod, filter) = query.Value!;
        var trend = await report.TrendAsync(parsedPeriod, zone, filter, cancellationToken);
        return TypedResults.Ok(new RetentionReportView(RetentionView.Of(trend.Period, trend.Figure), RetentionView.Of(trend.Period.Previous(zone), trend.Previous)));
    }

    /// <summary>The filters as query parameters; every wrong one is named.</summary>
    public static CustomerFilter ParseFilter(string? language, string? segment, string? campaign, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (language is not null && !CustomerLocales.IsSupported(language))
        {
            errors["language"] = [$"'{language}' is not a language: use en or nl."];
        }

        CustomerSegment? parsedSegment = segment switch
        {
            null => null,
            "subscribers" => CustomerSegment.Subscribers,
            "buyers" => CustomerSegment.Buyers,
            _ => null,
        };
        if (segment is not null && parsedSegment is null)
        {
            errors["segment"] = [$"'{segment}' is not a segment: use subscribers or buyers."];
        }

        long? campaignId = null;
        if (campaign is not null)
        {
            if (long.TryParse(campaign, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                campaignId = id;
            }
            else
            {
                errors["campaign"] = [$"'{campaign}' is not a campaign id."];
            }
        }

        return new CustomerFilter(errors.ContainsKey("language") ? null : language, parsedSegment, campaignId);
    }
}
