using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Subscriptions;

internal sealed class SubscriptionEventConfiguration : IEntityTypeConfiguration<SubscriptionEvent>
{
    public void Configure(EntityTypeBuilder<SubscriptionEvent> builder)
    {
        builder.Property(e => e.EventId).HasMaxLength(FieldLengths.ExternalId);
        builder.HasIndex(e => e.EventId).IsUnique();
        // Stored by name so the database stays readable and reordering the enum cannot corrupt data.
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(e => e.Customer)
            .WithMany(c => c.SubscriptionEvents)
            .HasForeignKey(e => e.CustomerId)
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.CustomerId, e.OccurredAt });
        builder.HasIndex(e => new { e.Kind, e.OccurredAt });
        // The change feed pages through events in (ReceivedAt, Id) order.
        builder.HasIndex(e => new { e.ReceivedAt, e.Id });
    }
}
