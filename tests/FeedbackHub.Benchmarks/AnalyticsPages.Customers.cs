using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Customers;

namespace FeedbackHub.Benchmarks;

/// <summary>The customers page (search, newest first) and one customer's page.</summary>
internal static partial class AnalyticsPages
{
    /// <summary>A demo last name (one Dutch customer in about forty has it); the search is case-sensitive on both databases.</summary>
    private const string SearchText = "Visser";

    /// <summary>What the search looks in, as the directory does.</summary>
    private static readonly string[] SearchedColumns = ["Email", "ExternalId", "FirstName", "LastName"];

    private const int HistoryLength = FeedbackHub.Web.Features.Customers.CustomerHistory.Length;

    /// <summary>
    /// The first page of the search. Rows: "total", and per row its place, id, name, email, the shop's id, language,
    /// orders, last order, churned and flagged (1/0).
    /// </summary>
    private static AnalyticsFigure CustomerSearch(string? search) => new(
        search is null ? "customers, newest first, first page" : $"customers matching \"{search}\", first page",
        async run =>
        {
            var page = await new CustomerDirectory(run.Db).SearchAsync(search, CustomerFilter.All, 1, CancellationToken.None);
            return
            [
                Invariant($"total|{page.Total}"),
                .. page.Rows.Select((c, i) => Invariant(
                    $"row|{i}|{c.Id}|{c.Name}|{c.Email}|{c.ExternalId}|{c.Language}|{c.Orders}|{run.Instant(c.LastOrderAt)}|{(c.Churned ? 1 : 0)}|{(c.Flagged ? 1 : 0)}")),
            ];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            var matches = "1 = 1";
            if (search is not null)
            {
                var term = floor.Value(search);
                var position = run.Settings.Provider == DatabaseProvider.Sqlite ? "instr" : "strpos";
                matches = string.Join(" OR ", SearchedColumns.Select(column => $"{position}(c.\"{column}\", {term}) > 0"));
            }

            return floor.Build($"""
                SELECT {FloorBuilder.Joined("'total'", "COUNT(*)")} FROM "Customers" AS c WHERE {matches}
                UNION ALL
                SELECT {FloorBuilder.Joined(
                    "'row'", "ROW_NUMBER() OVER (ORDER BY p.\"Id\" DESC) - 1", "p.\"Id\"", "TRIM(COALESCE(p.\"FirstName\", '') || ' ' || COALESCE(p.\"LastName\", ''))",
                    "p.\"Email\"", "p.\"ExternalId\"", "p.\"Locale\"",
                    "(SELECT COUNT(*) FROM \"Orders\" AS o WHERE o.\"CustomerId\" = p.\"Id\")",
                    floor.Instant("(SELECT MAX(o.\"PlacedAt\") FROM \"Orders\" AS o WHERE o.\"CustomerId\" = p.\"Id\")"),
                    "CASE WHEN EXISTS (SELECT 1 FROM \"ChurnEvents\" AS e WHERE e.\"CustomerId\" = p.\"Id\" AND e.\"WonBackAt\" IS NULL) THEN 1 ELSE 0 END",
                    "CASE WHEN p.\"FlaggedBySupport\" THEN 1 ELSE 0 END")}
                FROM (SELECT c.* FROM "Customers" AS c WHERE {matches} ORDER BY c."Id" DESC LIMIT {CustomerDirectory.PageSize}) AS p
                """);
        });

    /// <summary>
    /// The customer page. Rows: the customer; orders, with a discount, first order; revenue per currency (ten-thousandths);
    /// each churn with its reason; each campaign group; the history's lengths (orders, emails, codes, each at most 50).
    /// The history's lines themselves are not compared.
    /// </summary>
    private static AnalyticsFigure CustomerProfile() => new(
        "one customer's page",
        async run =>
        {
            var profile = await new CustomerDirectory(run.Db).ProfileAsync(run.Picks.CustomerId, CancellationToken.None)
                ?? throw new InvalidOperationException($"Customer {run.Picks.CustomerId} is gone.");
            var customer = profile.Customer;
            return
            [
                Invariant($"customer|{customer.Id}|{customer.ExternalId}|{customer.Email}"),
                Invariant($"orders|{profile.Orders}|{profile.DiscountedOrders}|{run.Instant(profile.FirstOrderAt)}"),
                .. profile.Revenue.Select(r => Invariant($"revenue|{r.Currency}|{(long)(r.Revenue * 10_000)}")),
                .. profile.Churns.Select(c => Invariant($"churn|{c.EventId}|{c.Kind}|{c.Reason}")),
                .. profile.Campaigns.Select(c => Invariant($"campaign|{c.CampaignId}|{c.Variant}")),
                Invariant($"history|{profile.History.Orders.Count}|{profile.History.Emails.Count}|{profile.History.Codes.Count}"),
            ];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            var id = floor.Value(run.Picks.CustomerId);
            string Latest(string table) => run.Sql.Least(Invariant($"{HistoryLength}"), $"(SELECT COUNT(*) FROM \"{table}\" AS x WHERE x.\"CustomerId\" = {id})");
            return floor.Build($"""
                SELECT {FloorBuilder.Joined("'customer'", "c.\"Id\"", "c.\"ExternalId\"", "c.\"Email\"")} FROM "Customers" AS c WHERE c."Id" = {id}
                UNION ALL
                SELECT {FloorBuilder.Joined("'orders'", "COUNT(*)", "COUNT(o.\"DiscountCode\")", floor.Instant("MIN(o.\"PlacedAt\")"))}
                FROM "Orders" AS o WHERE o."CustomerId" = {id}
                UNION ALL
                SELECT {FloorBuilder.Joined("'revenue'", "o.\"Currency\"", run.Sql.Money("SUM(o.\"Total\")"))}
                FROM "Orders" AS o WHERE o."CustomerId" = {id} GROUP BY o."Currency"
                UNION ALL
                SELECT {FloorBuilder.Joined("'churn'", "e.\"Id\"", "e.\"Kind\"", "r.\"EffectiveReason\"")}
                FROM "ChurnEvents" AS e
                LEFT JOIN "SurveyInvitations" AS i ON i."ChurnEventId" = e."Id"
                LEFT JOIN "SurveyResponses" AS r ON r."InvitationId" = i."Id"
                WHERE e."CustomerId" = {id}
                UNION ALL
                SELECT {FloorBuilder.Joined("'campaign'", "a.\"CampaignId\"", "v.\"Name\"")}
                FROM "CampaignAssignments" AS a LEFT JOIN "CampaignVariants" AS v ON v."Id" = a."VariantId"
                WHERE a."CustomerId" = {id}
                UNION ALL
                SELECT {FloorBuilder.Joined("'history'", Latest("Orders"), Latest("OutboxEmails"), Latest("DiscountCodes"))}
                """);
        });
}
