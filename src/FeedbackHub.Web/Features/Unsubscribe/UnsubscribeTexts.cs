using FeedbackHub.Data.Customers;

namespace FeedbackHub.Web.Features.Unsubscribe;

/// <summary>The words of the unsubscribe pages, one complete set per language.</summary>
public sealed record UnsubscribeTexts(
    string Title,
    string Intro,
    string Offers,
    string OffersHint,
    string Surveys,
    string SurveysHint,
    string Save,
    string Saved,
    string AllTitle,
    string AllIntro,
    string UnsubscribeAll,
    string UnsubscribedAll,
    string InvalidTitle,
    string InvalidText,
    string OneClickDone)
{
    public static UnsubscribeTexts English { get; } = new(
        Title: "Your email choices",
        Intro: "Choose which emails {0} sends to {1}. Nothing changes until you save.",
        Offers: "Offers and discount codes",
        OffersHint: "For example a thank-you code after an order.",
        Surveys: "Short questions about your experience",
        SurveysHint: "For example why you stopped ordering.",
        Save: "Save my choices",
        Saved: "Your choices are saved.",
        AllTitle: "No more emails at all",
        AllIntro: "You can also stop every email from {0} at once.",
        UnsubscribeAll: "Unsubscribe from all emails",
        UnsubscribedAll: "You are unsubscribed: {0} will not email you again. Changed your mind? Tick what you would like to receive and save.",
        InvalidTitle: "This link does not work",
        InvalidText: "The link may be incomplete. Use the link in a recent email from us, or reply to that email and we will unsubscribe you by hand.",
        OneClickDone: "You are unsubscribed.");

    public static UnsubscribeTexts Dutch { get; } = new(
        Title: "Jouw e-mailkeuzes",
        Intro: "Kies welke e-mails {0} naar {1} stuurt. Er verandert niets tot je opslaat.",
        Offers: "Aanbiedingen en kortingscodes",
        OffersHint: "Bijvoorbeeld een bedankcode na een bestelling.",
        Surveys: "Korte vragen over je ervaring",
        SurveysHint: "Bijvoorbeeld waarom je niet meer bestelt.",
        Save: "Mijn keuzes opslaan",
        Saved: "Je keuzes zijn opgeslagen.",
        AllTitle: "Helemaal geen e-mails meer",
        AllIntro: "Je kunt ook alle e-mails van {0} in één keer stoppen.",
        UnsubscribeAll: "Afmelden voor alle e-mails",
        UnsubscribedAll: "Je bent afgemeld: {0} mailt je niet meer. Toch van gedachten veranderd? Vink aan wat je wilt ontvangen en sla op.",
        InvalidTitle: "Deze link werkt niet",
        InvalidText: "Misschien is de link niet volledig. Gebruik de link in een recente e-mail van ons, of beantwoord die e-mail en we melden je met de hand af.",
        OneClickDone: "Je bent afgemeld.");

    public static UnsubscribeTexts For(string locale) => locale == CustomerLocales.Dutch ? Dutch : English;
}
