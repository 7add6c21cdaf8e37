using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Email;

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> builder)
    {
        builder.Property(s => s.Address).HasMaxLength(FieldLengths.Email);
        builder.Property(s => s.Scope).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Reason).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Source).HasMaxLength(200);
        builder.HasIndex(s => new { s.Address, s.Scope }).IsUnique();
    }
}

internal sealed class EmailTextBlockConfiguration : IEntityTypeConfiguration<EmailTextBlock>
{
    public void Configure(EntityTypeBuilder<EmailTextBlock> builder)
    {
        builder.Property(b => b.Template).HasMaxLength(64);
        builder.Property(b => b.Locale).HasMaxLength(FieldLengths.Locale);
        builder.Property(b => b.Block).HasMaxLength(64);
        builder.Property(b => b.Text).HasMaxLength(EmailTextBlockLimits.Text);
        builder.Property(b => b.UpdatedBy).HasMaxLength(FieldLengths.Email);
        builder.HasIndex(b => new { b.Template, b.Locale, b.Block }).IsUnique();
    }
}

public static class EmailTextBlockLimits
{
    public const int Text = 4000;
}
