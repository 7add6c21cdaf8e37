using System.Buffers.Text;
using System.Globalization;
using System.Text;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Web.Features.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Ingest;

public sealed record OrderView(string ExternalId, string CustomerExternalId, DateTimeOffset PlacedAt, decimal Total, string Currency,
    string? DiscountCode, int ItemCount, DateTimeOffset UpdatedAt);

public sealed record SubscriptionEventView(string EventId, string CustomerExternalId, string Kind, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt);

public sealed record CustomerView(string ExternalId, string Email, string? FirstName, string? LastName, string Locale, string TimeZone,
    bool MarketingConsent, string? MarketingConsentSource, DateTimeOffset? MarketingConsentAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A customer with their most recent orders and all subscription events.</summary>
public sealed record CustomerDetail(CustomerView Customer, IReadOnlyList<OrderView> Orders, IReadOnlyList<SubscriptionEventView> SubscriptionEvents);

/// <summary>One page of changes; pass <see cref="NextCursor"/> back to continue (it is null only when the page is empty).</summary>
public sealed record ChangePage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary><c>/api/v1</c> endpoints to read what FeedbackHub holds: one customer, or everything that changed since a cursor.</summary>
public static class ReadApi
{
    public const int MaxOrdersInDetail = 500;
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1_000;

    /// <summary>
    /// Changes younger than this are held back: a transaction that started earlier may still commit
    /// rows with older timestamps, and a cursor must never skip them.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    public static RouteGroupBuilder MapReadApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var read = api.MapGroup("").RequireAuthorization(ApiKeysFeature.ReadPolicy).WithTags("Read");
        read.MapGet("/customers/{externalId}", GetCustomerAsync).WithSummary("A customer with their latest 500 orders and their subscription events.");
        read.MapGet("/changes/customers", (string? cursor, int? limit, AppDbContext db, TimeProvider time, CancellationToken ct) =>
            PageAsync(db.Customers.AsNoTracking(), cursor, limit, time, c => new CustomerView(c.ExternalId, c.Email, c.FirstName, c.LastName,
                c.Locale, c.TimeZone, c.MarketingConsent, c.MarketingConsentSource, c.MarketingConsentAt, c.CreatedAt, c.UpdatedAt), ct))
            .WithSummary("Customers created or changed after the cursor, oldest change first.");
        read.MapGet("/changes/orders", (string? cursor, int? limit, AppDbContext db, TimeProvider time, CancellationToken ct) =>
            PageAsync(db.Orders.AsNoTracking(), cursor, limit, time, o => new OrderView(o.ExternalId, o.Customer!.ExternalId, o.PlacedAt,
                o.Total, o.Currency, o.DiscountCode, o.ItemCount, o.UpdatedAt), ct))
            .WithSummary("Orders created or changed after the cursor, oldest change first.");
        read.MapGet("/changes/subscription-events", GetEventChangesAsync)
            .WithSummary("Subscription events received after the cursor, oldest first.");
        return api;
    }

    public static async Task<Results<Ok<CustomerDetail>, ProblemHttpResult>> GetCustomerAsync(
        string externalId, AppDbContext db, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.ExternalId == externalId, cancellationToken);
        if (customer is null)
        {
            return TypedResults.Problem($"No customer with external id '{externalId}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customer.Id)
            .OrderByDescending(o => o.PlacedAt).Take(MaxOrdersInDetail)
            .Select(o => new OrderView(o.ExternalId, customer.ExternalId, o.PlacedAt, o.Total, o.Currency, o.DiscountCode, o.ItemCount, o.UpdatedAt))
            .ToListAsync(cancellationToken);
        var events = await db.SubscriptionEvents.AsNoTracking().Where(e => e.CustomerId == customer.Id)
            .OrderBy(e => e.OccurredAt)
            .Select(e => new SubscriptionEventView(e.EventId, customer.ExternalId, e.Kind.ToString().ToLowerInvariant(), e.OccurredAt, e.ReceivedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new CustomerDetail(View(customer), orders, events));
    }

    private static async Task<Results<Ok<ChangePage<SubscriptionEventView>>, ValidationProblem>> GetEventChangesAsync(
        string? cursor, int? limit, AppDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Check(cursor, limit) is { } problem)
        {
            return problem;
        }

        var (afterTicks, afterId) = Decode(cursor);
        var after = new DateTimeOffset(afterTicks, TimeSpan.Zero);
        var settled = time.GetUtcNow() - SettleTime;
        var rows = await db.SubscriptionEvents.AsNoTracking()
            .Where(e => e.ReceivedAt < settled && (e.ReceivedAt > after || (e.ReceivedAt == after && e.Id > afterId)))
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id).Take(limit ?? DefaultPageSize)
            .Select(e => new { e.Id, e.ReceivedAt, View = new SubscriptionEventView(e.EventId, e.Customer!.ExternalId, e.Kind.ToString(), e.OccurredAt, e.ReceivedAt) })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ChangePage<SubscriptionEventView>(
            [.. rows.Select(r => r.View with { Kind = r.View.Kind.ToLowerInvariant() })],
            rows.Count == 0 ? cursor : Encode(rows[^1].ReceivedAt, rows[^1].Id)));
    }

    private static async Task<Results<Ok<ChangePage<TView>>, ValidationProblem>> PageAsync<TEntity, TView>(
        IQueryable<TEntity> source, string? cursor, int? limit, TimeProvider time,
        System.Linq.Expressions.Expression<Func<TEntity, TView>> view, CancellationToken cancellationToken)
        where TEntity : class, IChangeTracked
    {
        if (Check(cursor, limit) is { } problem)
        {
            return problem;
        }

        var (afterTicks, afterId) = Decode(cursor);
        var after = new DateTimeOffset(afterTicks, TimeSpan.Zero);
        var settled = time.GetUtcNow() - SettleTime;
        var page = await source
            .Where(e => e.UpdatedAt < settled && (e.UpdatedAt > after || (e.UpdatedAt == after && e.Id > afterId)))
            .OrderBy(e => e.UpdatedAt).ThenBy(e => e.Id).Take(limit ?? DefaultPageSize)
            .Select(e => new { e.Id, e.UpdatedAt })
            .ToListAsync(cancellationToken);
        var ids = page.Select(p => p.Id).ToList();
        var views = await source.Where(e => ids.Contains(e.Id)).OrderBy(e => e.UpdatedAt).ThenBy(e => e.Id).Select(view).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ChangePage<TView>(views, page.Count == 0 ? cursor : Encode(page[^1].UpdatedAt, page[^1].Id)));
    }

    private static ValidationProblem? Check(string? cursor, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (cursor is not null && !TryDecode(cursor, out _))
        {
            errors["cursor"] = ["Not a cursor from this API; omit it to start from the beginning."];
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"Must be between 1 and {MaxPageSize:N0}."];
        }

        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    private static CustomerView View(Customer c) => new(c.ExternalId, c.Email, c.FirstName, c.LastName, c.Locale, c.TimeZone,
        c.MarketingConsent, c.MarketingConsentSource, c.MarketingConsentAt, c.CreatedAt, c.UpdatedAt);

    private static string Encode(DateTimeOffset at, long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{at.UtcTicks}.{id}")));

    private static (long Ticks, long Id) Decode(string? cursor) => cursor is not null && TryDecode(cursor, out var value) ? value : (0, 0);

    private static bool TryDecode(string cursor, out (long Ticks, long Id) value)
    {
        value = default;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split('.');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out value.Ticks)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out value.Id)
                && value.Ticks <= DateTimeOffset.MaxValue.UtcTicks;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
