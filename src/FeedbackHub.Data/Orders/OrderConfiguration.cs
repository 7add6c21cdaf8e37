using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Orders;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.Property(o => o.ExternalId).HasMaxLength(FieldLengths.ExternalId);
        builder.HasIndex(o => o.ExternalId).IsUnique();
        builder.Property(o => o.Total).HasPrecision(18, 4);
        builder.Property(o => o.Currency).HasMaxLength(FieldLengths.Currency).IsFixedLength();
        builder.Property(o => o.DiscountCode).HasMaxLength(FieldLengths.DiscountCode);
        builder.HasOne(o => o.Customer)
            .WithMany(c => c.Orders)
            .HasForeignKey(o => o.CustomerId)
            .OnDelete(DeleteBehavior.Restrict);
        // A customer's order history (gaps between orders, repeat purchases) and period scans.
        builder.HasIndex(o => new { o.CustomerId, o.PlacedAt });
        builder.HasIndex(o => o.PlacedAt);
        builder.HasIndex(o => o.DiscountCode);
        // The change feed pages through rows in (UpdatedAt, Id) order.
        builder.HasIndex(o => new { o.UpdatedAt, o.Id });
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("CK_Orders_Total", "\"Total\" >= 0");
            t.HasCheckConstraint("CK_Orders_ItemCount", "\"ItemCount\" >= 0");
        });
    }
}
