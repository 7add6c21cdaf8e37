using FeedbackHub.Web.Features.Analytics;

namespace FeedbackHub.Benchmarks;

/// <summary>The churn reasons page beyond its chart: the exit survey's funnel and the customers behind the largest bar.</summary>
internal static partial class AnalyticsPages
{
    /// <summary>
    /// Rows: "funnel" with its seven counts; "reason" with answers and won back per effective reason; "offer" with
    /// the offer's reason and kind, its offered and hold-out groups (answers, won back) and the codes redeemed.
    /// </summary>
    private static AnalyticsFigure SurveyFunnel() => new(
        "survey funnel, by reason and by offer",
        async run =>
        {
            var f = await new SurveyFunnelReport(run.Db).FunnelAsync(run.Period, CustomerFilter.All, CancellationToken.None);
            return
            [
                Invariant($"funnel|{f.Invitations}|{f.NotSent}|{f.Invited}|{f.Opened}|{f.Answered}|{f.Reminded}|{f.AnsweredAfterReminder}"),
                .. f.ByReason.Select(r => Invariant($"reason|{r.Reason}|{r.Answered}|{r.WonBack}")),
                .. f.ByOffer.Select(o => Invariant(
                    $"offer|{o.OfferId}|{o.Reason}|{o.Kind}|{o.Offered.Customers}|{o.Offered.WonBack}|{o.Holdout.Customers}|{o.Holdout.WonBack}|{o.CodesRedeemed}")),
            ];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            string Group(string group, string value) => $"SUM(CASE WHEN a.grp = '{group}' THEN {value} ELSE 0 END)";
            return floor.Build($"""
                WITH invited AS (
                    SELECT i."Id", i."ChurnEventId", i."SkipReason", i."OpenedAt", i."AnsweredAt", i."ReminderQueuedAt"
                    FROM "SurveyInvitations" AS i
                    WHERE i."CreatedAt" >= {floor.Time(run.Period.Start)} AND i."CreatedAt" < {floor.Time(run.Period.End)}
                ),
                answers AS (
                    SELECT r."EffectiveReason" AS reason, r."WinBackOfferId" AS offer_id, r."WinBackGroup" AS grp,
                           CASE WHEN e."WonBackAt" > r."SubmittedAt" THEN 1 ELSE 0 END AS won_back,
                           CASE WHEN d."RedeemedAt" IS NOT NULL THEN 1 ELSE 0 END AS redeemed
                    FROM invited AS i
                    JOIN "SurveyResponses" AS r ON r."InvitationId" = i."Id"
                    JOIN "ChurnEvents" AS e ON e."Id" = i."ChurnEventId"
                    LEFT JOIN "DiscountCodes" AS d ON d."Id" = r."DiscountCodeId"
                )
                SELECT {FloorBuilder.Joined(
                    "'funnel'", "COUNT(*)", "COUNT(i.\"SkipReason\")", "COUNT(*) - COUNT(i.\"SkipReason\")",
                    "COUNT(CASE WHEN i.\"SkipReason\" IS NULL AND i.\"OpenedAt\" IS NOT NULL THEN 1 END)",
                    "COUNT(CASE WHEN i.\"SkipReason\" IS NULL AND i.\"AnsweredAt\" IS NOT NULL THEN 1 END)",
                    "COUNT(i.\"ReminderQueuedAt\")",
                    "COUNT(CASE WHEN i.\"AnsweredAt\" > i.\"ReminderQueuedAt\" THEN 1 END)")}
                FROM invited AS i
                UNION ALL
                SELECT {FloorBuilder.Joined("'reason'", "a.reason", "COUNT(*)", "SUM(a.won_back)")}
                FROM answers AS a GROUP BY a.reason
                UNION ALL
                SELECT {FloorBuilder.Joined(
                    "'offer'", "o.\"Id\"", "o.\"Reason\"", "o.\"Kind\"", Group("Offered", "1"), Group("Offered", "a.won_back"),
                    Group("Holdout", "1"), Group("Holdout", "a.won_back"), "SUM(a.redeemed)")}
                FROM answers AS a JOIN "WinBackOffers" AS o ON o."Id" = a.offer_id
                GROUP BY o."Id", o."Reason", o."Kind"
                """);
        });

    /// <summary>
    /// The first page of the customers behind the largest bar. Rows: "total", and per row its place, the churn,
    /// the customer, the reason, the chosen answer, the language and the monthly revenue lost in cents.
    /// </summary>
    private static AnalyticsFigure ChurnedCustomers() => new(
        "customers behind the largest bar, first page",
        async run =>
        {
            var month = run.Buckets.Months[run.Picks.ChurnMonth];
            var page = await new ChurnReasonReport(run.Db, run.Summaries).CustomersAsync(month, run.Picks.ChurnReason, CustomerFilter.All, 1, CancellationToken.None);
            return
            [
                Invariant($"total|{page.Total}"),
                .. page.Rows.Select((c, i) => Invariant(
                    $"row|{i}|{c.ChurnEventId}|{c.CustomerExternalId}|{c.Reason}|{c.ChosenAnswer}|{c.Language}|{(long)(c.MonthlyRevenue * 100)}")),
            ];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            var sql = run.Sql;
            var month = run.Buckets.Months[run.Picks.ChurnMonth];
            // The revenue lost, computed for the page's rows only: orders in the 360 days before the churn, spread
            // over the started 30-day months since the first order in that window (at least one), in cents rounded
            // half away from zero (money is in ten-thousandths, never negative).
            var windowStart = sql.AddDays("p.\"ChurnedAt\"", "-360");
            var first = $"(SELECT MIN(o.\"PlacedAt\") FROM \"Orders\" AS o WHERE o.\"CustomerId\" = p.\"CustomerId\" AND o.\"PlacedAt\" < p.\"ChurnedAt\")";
            var revenue = $"""
                (SELECT COALESCE({sql.Money("SUM(o.\"Total\")")}, 0) FROM "Orders" AS o
                 WHERE o."CustomerId" = p."CustomerId" AND o."PlacedAt" >= {windowStart} AND o."PlacedAt" < p."ChurnedAt")
                """;
            var months = sql.Greatest("1", sql.Ceiling($"{sql.Days("p.\"ChurnedAt\"", sql.Greatest($"COALESCE({first}, p.\"ChurnedAt\")", windowStart))} / 30.0"));
            var order = "p.\"ChurnedAt\" DESC, p.\"Id\" DESC";
            return floor.Build($"""
                WITH bar AS (
                    SELECT e."Id", e."CustomerId", e."ChurnedAt", r."Reason" AS chosen, r."Locale" AS answered_in
                    FROM "ChurnEvents" AS e
                    LEFT JOIN "SurveyInvitations" AS i ON i."ChurnEventId" = e."Id"
                    LEFT JOIN "SurveyResponses" AS r ON r."InvitationId" = i."Id"
                    WHERE e."ChurnedAt" >= {floor.Time(month.Start)} AND e."ChurnedAt" < {floor.Time(month.End)}
                      AND COALESCE(r."EffectiveReason", '{ChurnReasonReport.Unknown}') = {floor.Value(run.Picks.ChurnReason)}
                ),
                page AS (
                    SELECT p.*, {revenue} AS revenue, {months} AS months
                    FROM (SELECT b.* FROM bar AS b ORDER BY b."ChurnedAt" DESC, b."Id" DESC LIMIT {ChurnReasonReport.PageSize}) AS p
                )
                SELECT {FloorBuilder.Joined("'total'", "COUNT(*)")} FROM bar
                UNION ALL
                SELECT {FloorBuilder.Joined(
                    "'row'", $"ROW_NUMBER() OVER (ORDER BY {order}) - 1", "p.\"Id\"", "c.\"ExternalId\"", floor.Value(run.Picks.ChurnReason),
                    "p.chosen", "COALESCE(p.answered_in, c.\"Locale\")", "(2 * p.revenue + 100 * p.months) / (200 * p.months)")}
                FROM page AS p JOIN "Customers" AS c ON c."Id" = p."CustomerId"
                """);
        });
}
