using FeedbackHub.Web.Features.Reasons;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>The reasons a churn-by-reason table shows, in the catalog's order, then any other key found, then "unknown".</summary>
public static class ChurnReasonColumns
{
    public static IReadOnlyList<(string Key, string Label)> Of(IReadOnlyList<ReasonChoice> catalog, IReadOnlyList<ChurnReasonMonth> months)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(months);
        var found = months.SelectMany(m => m.Customers.Keys).ToHashSet(StringComparer.Ordinal);
        var known = catalog.Select(c => (c.Key, Label: c.English)).ToList();
        // A reason removed from the catalog (or a chosen answer outside it) still has customers: show its key.
        var others = found.Where(key => key != ChurnReasonReport.Unknown && known.TrueForAll(k => k.Key != key)).Order(StringComparer.Ordinal).Select(key => (key, key));
        return [.. known, .. others, (ChurnReasonReport.Unknown, "Unknown (no answer)")];
    }
}
