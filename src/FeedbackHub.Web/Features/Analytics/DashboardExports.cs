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
            .Resolve(emailOptions.Value.ShopToday(time), zone);
        if (!query.Succeeded)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        var csv = CsvExport.Write(await build(context.RequestServices, query.Value!, zone, cancellationToken));
        return TypedResults.File(csv, "text/csv; charset=utf-8", $"{table}-{query.Value!.Period.Label.Replace("..", "_to_", StringComparison.Ordinal)}.csv");
    }

    private static async Task<CsvTable> RetentionAsync(IServiceProvider services, ResolvedQuery query, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var buckets = query.TrendBuckets(zone);
        var figures = await services.GetRequiredService<RetentionReport>().MonthlyAsync(buckets, query.Filter, cancellationToken);
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
}
