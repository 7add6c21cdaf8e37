namespace FeedbackHub.Data.Customers;

/// <summary>The languages FeedbackHub speaks to customers in.</summary>
public static class CustomerLocales
{
    public const string English = "en";
    public const string Dutch = "nl";

    public static IReadOnlyList<string> All { get; } = [English, Dutch];

    public static bool IsSupported(string? locale) => locale is English or Dutch;
}
