using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Email;

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> builder)
    {
        builder.Property(e => e.IdempotencyKey).HasMaxLength(200);
        builder.HasIndex(e => e.IdempotencyKey).IsUnique();
        builder.Property(e => e.MessageId).HasMaxLength(250);
        builder.Property(e => e.Purpose).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.ToAddress).HasMaxLength(FieldLengths.Email);
        builder.Property(e => e.ToName).HasMaxLength(FieldLengths.Name * 2);
        builder.Property(e => e.Subject).HasMaxLength(500);
        builder.Property(e => e.ListUnsubscribeUrl).HasMaxLength(1000);
        builder.Property(e => e.LastError).HasMaxLength(2000);
        builder.Property(e => e.TimeZone).HasMaxLength(FieldLengths.TimeZone);
        builder.Property(e => e.Template).HasMaxLength(64);
        builder.Property(e => e.Locale).HasMaxLength(FieldLengths.Locale);
        builder.Property(e => e.LeaseOwner).HasMaxLength(100);
        // The dispatcher's question: which pending rows are due?
        builder.HasIndex(e => new { e.Status, e.NotBefore });
        // The fatigue cap's question: how many emails did this customer get lately?
        builder.HasIndex(e => new { e.CustomerId, e.CreatedAt });
    }
}
