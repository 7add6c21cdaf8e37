using FeedbackHub.Data;
using FeedbackHub.Data.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Overview;

/// <summary>The few figures on the staff home page that show whether data is flowing in.</summary>
public sealed record DataSummary(int Customers, int Orders, int RecentOrders, int RecentCancellations)
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(30);

    public static async Task<DataSummary> LoadAsync(AppDbContext db, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var since = now - RecentWindow;
        return new DataSummary(
            await db.Customers.CountAsync(cancellationToken),
            await db.Orders.CountAsync(cancellationToken),
            await db.Orders.CountAsync(o => o.PlacedAt >= since, cancellationToken),
            await db.SubscriptionEvents.CountAsync(
                e => e.Kind == SubscriptionEventKind.Cancelled && e.OccurredAt >= since, cancellationToken));
    }
}
