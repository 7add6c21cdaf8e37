using FeedbackHub.Data;
using FeedbackHub.Data.Customers;

namespace FeedbackHub.Web.Features.Analytics;

public enum CustomerSegment
{
    /// <summary>Customers with a subscription (any subscription event).</summary>
    Subscribers,

    /// <summary>Customers who only ever bought one order at a time.</summary>
    Buyers,
}

/// <summary>Which customers a figure counts: every filter narrows the same set, for every figure alike.</summary>
public sealed record CustomerFilter(string? Language = null, CustomerSegment? Segment = null, long? CampaignId = null)
{
    public static CustomerFilter All { get; } = new();

    /// <summary>
    /// True when the filter keeps every customer: a figure over rows that belong to a customer (by
    /// foreign key) can then leave the customers out of its query instead of joining all of them.
    /// </summary>
    public bool KeepsEveryone => Language is null && Segment is null && CampaignId is null;

    /// <summary>The customers this filter keeps, as a query the database runs.</summary>
    public IQueryable<Customer> Apply(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customers = db.Customers.AsQueryable();
        if (Language is { } language)
        {
            customers = customers.Where(c => c.Locale == language);
        }

        if (Segment is { } segment)
        {
            var subscribers = segment == CustomerSegment.Subscribers;
            customers = customers.Where(c => c.SubscriptionEvents.Any() == subscribers);
        }

        if (CampaignId is { } campaignId)
        {
            customers = customers.Where(c => db.CampaignAssignments.Any(a => a.CampaignId == campaignId && a.CustomerId == c.Id));
        }

        return customers;
    }
}
