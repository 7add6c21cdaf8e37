using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Customers;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.Property(c => c.ExternalId).HasMaxLength(FieldLengths.ExternalId);
        builder.HasIndex(c => c.ExternalId).IsUnique();
        builder.Property(c => c.Email).HasMaxLength(FieldLengths.Email);
        builder.HasIndex(c => c.Email);
        builder.Property(c => c.FirstName).HasMaxLength(FieldLengths.Name);
        builder.Property(c => c.LastName).HasMaxLength(FieldLengths.Name);
        builder.Property(c => c.Locale).HasMaxLength(FieldLengths.Locale);
        builder.Property(c => c.TimeZone).HasMaxLength(FieldLengths.TimeZone);
        builder.Property(c => c.MarketingConsentSource).HasMaxLength(FieldLengths.Source);
        // Cohorts and "new customers in period" scan by creation time.
        builder.HasIndex(c => c.CreatedAt);
        // Retention counts customers acquired before a moment: a range of this index. The database keeps
        // the value (see the AcquiredAt migration's triggers), so EF Core reads it but never writes it.
        builder.Property(c => c.AcquiredAt).ValueGeneratedOnAddOrUpdate();
        builder.Property(c => c.AcquiredAt).Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        builder.Property(c => c.AcquiredAt).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        builder.HasIndex(c => c.AcquiredAt);
        // The change feed pages through rows in (UpdatedAt, Id) order.
        builder.HasIndex(c => new { c.UpdatedAt, c.Id });
        builder.ToTable(t => t.HasCheckConstraint("CK_Customers_Locale", "\"Locale\" IN ('en', 'nl')"));
    }
}
