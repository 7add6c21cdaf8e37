using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Orders;

namespace FeedbackHub.Web.Tests;

/// <summary>An order after the anchor order: how long after, its total, and whether the customer's thank-you code was used on it.</summary>
public sealed record Repeat(TimeSpan After, decimal Total, bool WithCode = false, string Currency = "EUR");

/// <summary>Campaign customers written straight into the database, as the thank-you issuer would have left them.</summary>
public static class CampaignReportData
{
    public static async Task<Campaign> CampaignAsync(AppDbContext db, string name, params CampaignVariant[] variants)
    {
        var campaign = new Campaign
        {
            Name = name, Status = CampaignStatus.Active, DiscountKind = DiscountKind.Percentage, DiscountValue = 10, Currency = "EUR",
            HoldoutShare = 0.2m, StartsAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        campaign.Variants.AddRange(variants);
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        return campaign;
    }

    /// <summary>
    /// A customer with an anchor order at <paramref name="anchorAt"/> that put them in <paramref name="variant"/>
    /// (null: the hold-out), a code when treated, and the repeat orders.
    /// </summary>
    public static async Task<Customer> InGroupAsync(
        AppDbContext db, Campaign campaign, CampaignVariant? variant, string id, DateTimeOffset anchorAt, string locale = CustomerLocales.English, params Repeat[] repeats)
    {
        var customer = db.Customers.Local.FirstOrDefault(c => c.ExternalId == id)
            ?? db.Customers.Add(new Customer { ExternalId = id, Email = $"{id}@example.com", Locale = locale, CreatedAt = anchorAt, UpdatedAt = anchorAt }).Entity;
        var anchor = Order(db, customer, $"{id}-{campaign.Name}-anchor", anchorAt, 50m, "EUR");
        var orders = repeats.Select((r, i) => (Repeat: r, Order: Order(db, customer, $"{id}-{campaign.Name}-{i + 1}", anchorAt + r.After, r.Total, r.Currency))).ToList();
        await db.SaveChangesAsync();

        DiscountCode? code = null;
        if (variant is not null)
        {
            var redeemedOn = orders.FirstOrDefault(o => o.Repeat.WithCode).Order;
            code = new DiscountCode
            {
                Code = $"THX{customer.Id:D4}{campaign.Id:D3}", CampaignId = campaign.Id, VariantId = variant.Id, CustomerId = customer.Id,
                DiscountKind = variant.DiscountKind ?? campaign.DiscountKind, DiscountValue = variant.DiscountValue ?? campaign.DiscountValue,
                Currency = campaign.Currency, IssuedAt = anchorAt, ExpiresAt = anchorAt.AddDays(60),
                RedeemedAt = redeemedOn?.PlacedAt, RedeemedOrderExternalId = redeemedOn?.ExternalId,
            };
            db.DiscountCodes.Add(code);
            await db.SaveChangesAsync();
        }

        db.CampaignAssignments.Add(new CampaignAssignment { CampaignId = campaign.Id, CustomerId = customer.Id, VariantId = variant?.Id, AssignedAt = anchorAt });
        db.ThankYous.Add(new ThankYou
        {
            CampaignId = campaign.Id, OrderId = anchor.Id, CustomerId = customer.Id, VariantId = variant?.Id, DiscountCodeId = code?.Id, CreatedAt = anchorAt,
            Outcome = variant is null ? ThankYouOutcome.HoldoutThankYou : ThankYouOutcome.Code,
        });
        await db.SaveChangesAsync();
        return customer;
    }

    /// <summary>An earlier order the campaign excluded the customer for (no group yet).</summary>
    public static async Task ExcludedAsync(AppDbContext db, Campaign campaign, Customer customer, DateTimeOffset placedAt)
    {
        var order = Order(db, customer, $"{customer.ExternalId}-{campaign.Name}-excluded", placedAt, 15m, "EUR");
        await db.SaveChangesAsync();
        db.ThankYous.Add(new ThankYou
        {
            CampaignId = campaign.Id, OrderId = order.Id, CustomerId = customer.Id, Outcome = ThankYouOutcome.Excluded, Reason = "flagged by support", CreatedAt = placedAt,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>A later order the campaign decided on again (every-order campaigns): the customer keeps their group and their one code.</summary>
    public static async Task DecidedAgainAsync(AppDbContext db, Campaign campaign, Customer customer, CampaignVariant variant, DateTimeOffset placedAt, decimal total)
    {
        var order = Order(db, customer, $"{customer.ExternalId}-{campaign.Name}-again", placedAt, total, "EUR");
        await db.SaveChangesAsync();
        var code = db.DiscountCodes.Local.Single(c => c.CampaignId == campaign.Id && c.CustomerId == customer.Id);
        db.ThankYous.Add(new ThankYou
        {
            CampaignId = campaign.Id, OrderId = order.Id, CustomerId = customer.Id, VariantId = variant.Id, DiscountCodeId = code.Id,
            Outcome = ThankYouOutcome.CodeAlreadyIssued, CreatedAt = placedAt,
        });
        await db.SaveChangesAsync();
    }

    public static Customer Customer(AppDbContext db, string id, string locale = CustomerLocales.English)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return db.Customers.Add(new Customer { ExternalId = id, Email = $"{id}@example.com", Locale = locale, CreatedAt = at, UpdatedAt = at }).Entity;
    }

    private static Order Order(AppDbContext db, Customer customer, string externalId, DateTimeOffset placedAt, decimal total, string currency) =>
        db.Orders.Add(new Order { ExternalId = externalId, Customer = customer, PlacedAt = placedAt, Total = total, Currency = currency, CreatedAt = placedAt, UpdatedAt = placedAt }).Entity;
}
