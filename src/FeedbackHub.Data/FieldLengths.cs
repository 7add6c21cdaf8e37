namespace FeedbackHub.Data;

/// <summary>Column lengths shared by the model and the validation at every boundary.</summary>
public static class FieldLengths
{
    public const int ExternalId = 100;
    public const int Email = 320;
    public const int Name = 100;
    public const int Locale = 5;
    public const int TimeZone = 64;
    public const int Source = 100;
    public const int Currency = 3;
    public const int DiscountCode = 64;
    public const int AuditAction = 64;
    public const int AuditTarget = 200;
    public const int AuditDetails = 4000;
}
