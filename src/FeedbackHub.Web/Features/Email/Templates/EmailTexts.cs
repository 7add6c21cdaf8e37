using FeedbackHub.Data.Customers;

namespace FeedbackHub.Web.Features.Email.Templates;

/// <summary>
/// The fixed customer-facing words around the editable blocks, one complete set per language: a
/// missing translation is a compile error, not an English word in a Dutch email.
/// </summary>
public sealed record EmailTexts(
    string CustomerReason,
    string StaffReason,
    string Unsubscribe,
    string ButtonFallback,
    string Days)
{
    public static EmailTexts English { get; } = new(
        CustomerReason: "You receive this email from {0} because you are a customer.",
        StaffReason: "You receive this email because of your FeedbackHub staff account.",
        Unsubscribe: "Unsubscribe or choose which emails you get",
        ButtonFallback: "If the button does not work, open this link:",
        Days: "{0} days");

    public static EmailTexts Dutch { get; } = new(
        CustomerReason: "Je ontvangt deze e-mail van {0} omdat je klant bent.",
        StaffReason: "Je ontvangt deze e-mail vanwege je FeedbackHub-medewerkersaccount.",
        Unsubscribe: "Afmelden of kiezen welke e-mails je krijgt",
        ButtonFallback: "Werkt de knop niet? Open dan deze link:",
        Days: "{0} dagen");

    public static EmailTexts For(string locale) => locale == CustomerLocales.Dutch ? Dutch : English;
}
