using FeedbackHub.Data.Auditing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Reasons;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// <c>/dashboards/export/{table}.csv</c>: every dashboard table as CSV for the staff who can see it,
/// for the period and filters in the query string (the page's own address, so the file holds what
/// the page shows). A wrong parameter answers 400 with ProblemDetails naming it.
/// </summary>
public static class DashboardExports
{
    /// <summary>Builds one table from the reports in a request's services.</summary>
    public delegate Task<CsvTable> TableBuilder(IServiceProvider services, ResolvedQuery query, TimeZoneInfo zone, CancellationToken cancellationToken);

    /// <summary>The tables by the name in their address.</summary>
    public static readonly IReadOnlyDictionary<string, TableBuilder> Tables = new Dictionary<string, TableBuilder>(StringComparer.Ordinal)
    {
        ["retention"] = RetentionAsync,
        ["cohorts"] = CohortsAsync,
        ["churn-reasons"] = ChurnReasonsAsync,
        ["campaigns"] = CampaignsAsync,
    };

    public static IEndpointRouteBuilder MapDashboardExports(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/dashboards/export/{table}.csv", ExportAsync)
            .RequireAuthorization(policy => policy.RequireRole(DashboardRoles.Readers.Split(',')))
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(string table, HttpContext context, IOptions<EmailOptions> emailOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Tables.TryGetValue(table, out var build))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such table",
                detail: $"There is no dashboard table '{table}'. Tables: {string.Join(", ", Tables.Keys)}.");
        }

        var parameters = context.Request.Query;
        var zone = emailOptions.Value.ShopZone;
        var query = new DashboardQuery(parameters["period"], parameters["from"], parameters["to"], parameters["language"], parameters["segment"], parameters["campaign"], parameters["q"])
            .Resolve(emailOptions, time);
        if (!query.Succeeded)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        var csv = CsvExport.Write(await build(context.RequestServices, query.Value!, zone, cancellationToken));
        await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(Actor.From(context.User), AuditActions.DashboardExported,
            $"dashboard:{table}", $"period {query.Value!.Period.Label}{(context.Request.QueryString.HasValue ? $"; {context.Request.QueryString}" : "")}",
            cancellationToken);
        return TypedResults.File(csv, "text/csv; charset=utf-8", $"{table}-{query.Value!.Period.Label.Replace("..", "_to_", StringComparison.Ordinal)}.csv");
    }

    private static async Task<CsvTable> RetentionAsync(IServiceProvider services, ResolvedQuery query, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var buckets = query.TrendBuckets(zone);
        var figures = await services.GetRequiredService<RetentionReport>().MonthsAsync(buckets, query.Filter, cancellationToken);
        return new CsvTable(
            ["month", "customers_at_start", "new_customers", "customers_at_end", "customers_lost", "retention_percent", "churn_percent"],
            [.. buckets.Months.Zip(figures, (month, f) => (IReadOnlyList<object?>)[month.Label, f.AtStart, f.New, f.AtEnd, f.Lost, f.RetentionPercent, f.ChurnPercent])]);
    }

    private static async Task<CsvTable> CohortsAsync(IServiceProvider services, ResolvedQuery query, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var cohorts = await services.GetRequiredService<CohortReport>().CohortsAsync(query.Period.LastDay, ResolvedQuery.TrendMonths, zone, query.Filter, cancellationToken);
        return new CsvTable(
            ["first_purchase_month", "customers", "months_since", "customers_ordering", "percent"],
            [.. cohorts.SelectMany(c => c.Active.Select((active, n) => (IReadOnlyList<object?>)[c.Month.Label, c.Customers, n, active, c.PercentAt(n)]))]);
    }

    private static async Task<CsvTable> ChurnReasonsAsync(IServiceProvider services, ResolvedQuery query, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var months = await services.GetRequiredService<ChurnReasonReport>().MonthsAsync(query.Period.LastDay, ResolvedQuery.TrendMonths, zone, query.Filter, cancellationToken);
        var reasons = ChurnReasonColumns.Of(await services.GetRequiredService<ReasonCatalog>().AllAsync(cancellationToken), months);
        return new CsvTable(
            ["month", "reason", "customers", "percent"],
            [.. months.SelectMany(m => reasons.Select(r => (IReadOnlyList<object?>)[m.Month.Label, r.Key, m.Customers.GetValueOrDefault(r.Key), m.PercentOf(r.Key)]))]);
    }

    /// <summary>One row per group and window: every variant, all variants and the hold-out of the chosen campaign, or all variants and the hold-out of every campaign.</summary>
    private static async Task<CsvTable> CampaignsAsync(IServiceProvider services, ResolvedQuery query, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var report = services.GetRequiredService<CampaignReport>();
        var groups = query.Filter.CampaignId is { } id && await report.CampaignAsync(id, query.Period, query.Filter, cancellationToken) is { } detail
            ? [.. detail.Variants.Append(detail.Campaign.AllVariants).Append(detail.Campaign.Holdout).Select(g => (detail.Campaign.Name, Group: g))]
            : (await report.CampaignsAsync(query.Period, query.Filter, cancellationToken)).Campaigns
                .SelectMany(c => new[] { (c.Name, Group: c.AllVariants), (c.Name, Group: c.Holdout) }).ToList();
        return new CsvTable(
            ["campaign", "group", "customers", "codes_issued", "codes_redeemed", "window_days", "matured", "bought_again", "repeat_percent",
             "uplift_points", "uplift_low", "uplift_high", "significant", "incremental_revenue", "discount_cost", "incremental_margin", "cost_per_retained_customer"],
            [.. groups.SelectMany(g => g.Group.Windows.Select(w => (IReadOnlyList<object?>)
            [
                g.Name, g.Group.Name, g.Group.Customers, g.Group.CodesIssued, g.Group.CodesRedeemed, w.Days, w.Matured, w.Repeaters, w.RepeatRate,
                w.VersusHoldout?.UpliftPoints, w.VersusHoldout?.UpliftLow, w.VersusHoldout?.UpliftHigh, w.VersusHoldout?.Significant,
                w.VersusHoldout?.IncrementalRevenue, w.DiscountCost, w.VersusHoldout?.IncrementalMargin, w.VersusHoldout?.CostPerRetainedCustomer,
            ]))]);
    }
}
