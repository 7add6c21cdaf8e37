using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Campaigns;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(FieldLengths.Name);
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.CodePrefix).HasMaxLength(CampaignLimits.CodePrefix);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.DiscountKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Qualifying).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.HoldoutTreatment).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.Currency).HasMaxLength(FieldLengths.Currency);
        builder.Property(c => c.UpdatedBy).HasMaxLength(FieldLengths.Email);
        builder.HasMany(c => c.Variants).WithOne().HasForeignKey(v => v.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CampaignVariantConfiguration : IEntityTypeConfiguration<CampaignVariant>
{
    public void Configure(EntityTypeBuilder<CampaignVariant> builder)
    {
        builder.Property(v => v.Name).HasMaxLength(CampaignLimits.VariantName);
        builder.Property(v => v.DiscountKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.IntroEnglish).HasMaxLength(Email.EmailTextBlockLimits.Text);
        builder.Property(v => v.IntroDutch).HasMaxLength(Email.EmailTextBlockLimits.Text);
    }
}

internal sealed class CampaignAssignmentConfiguration : IEntityTypeConfiguration<CampaignAssignment>
{
    public void Configure(EntityTypeBuilder<CampaignAssignment> builder)
    {
        builder.HasIndex(a => new { a.CampaignId, a.CustomerId }).IsUnique();
        builder.HasOne<Campaign>().WithMany().HasForeignKey(a => a.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CampaignVariant>().WithMany().HasForeignKey(a => a.VariantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DiscountCodeConfiguration : IEntityTypeConfiguration<DiscountCode>
{
    public void Configure(EntityTypeBuilder<DiscountCode> builder)
    {
        builder.Property(c => c.Code).HasMaxLength(FieldLengths.DiscountCode);
        builder.HasIndex(c => c.Code).IsUnique();
        // One code per customer per campaign: issuing again finds this row.
        builder.HasIndex(c => new { c.CampaignId, c.CustomerId }).IsUnique();
        builder.Property(c => c.DiscountKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Currency).HasMaxLength(FieldLengths.Currency);
        builder.Property(c => c.RedeemedOrderExternalId).HasMaxLength(FieldLengths.ExternalId);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CampaignVariant>().WithMany().HasForeignKey(c => c.VariantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ThankYouConfiguration : IEntityTypeConfiguration<ThankYou>
{
    public void Configure(EntityTypeBuilder<ThankYou> builder)
    {
        // One decision per campaign and order: a re-sent order is never thanked twice.
        builder.HasIndex(t => new { t.CampaignId, t.OrderId }).IsUnique();
        builder.HasIndex(t => new { t.CampaignId, t.CustomerId });
        builder.Property(t => t.Outcome).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.Reason).HasMaxLength(200);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(t => t.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Orders.Order>().WithMany().HasForeignKey(t => t.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CampaignVariant>().WithMany().HasForeignKey(t => t.VariantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DiscountCode>().WithMany().HasForeignKey(t => t.DiscountCodeId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class CampaignLimits
{
    public const int CodePrefix = 8;

    public const int VariantName = 50;

    public const int Variants = 10;
}
