using FeedbackHub.Data.Customers;

namespace FeedbackHub.Data.Orders;

/// <summary>A purchase, identified by the shop's own order id.</summary>
public sealed class Order : IChangeTracked
{
    public long Id { get; set; }

    /// <summary>The shop's id for this order; unique across the installation.</summary>
    public required string ExternalId { get; set; }

    public long CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public DateTimeOffset PlacedAt { get; set; }

    /// <summary>Amount paid, in <see cref="Currency"/>, after any discount.</summary>
    public decimal Total { get; set; }

    /// <summary>ISO 4217 code, upper case (e.g. EUR).</summary>
    public required string Currency { get; set; }

    /// <summary>Discount code used on this order, if any (ours or the shop's own).</summary>
    public string? DiscountCode { get; set; }

    public int ItemCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
