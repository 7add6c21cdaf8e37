using FeedbackHub.Data.Customers;

namespace FeedbackHub.Web.Features.DemoData;

/// <summary>
/// What invented customers write in the exit survey's free-text field: a handful of sentences per
/// reason and language, so the classifier, the review queue and churn by reason have real words to work on.
/// </summary>
internal static class DemoSurveyTexts
{
    /// <summary>The standard reasons, in the order the sentence tables below use.</summary>
    public static readonly string[] Reasons = ["price", "service", "experience", "other"];

    private static readonly string[][] English =
    [
        [
            "Too expensive for what you get.", "I found the same products cheaper elsewhere.",
            "The shipping costs were too high for small orders.", "Once the discount ended the price was no longer worth it.",
            "Prices went up twice this year.", "The subscription fee is more than I want to spend right now.",
            "Another shop offers free delivery, you charge for it.", "Honestly just too pricey for my budget.",
        ],
        [
            "Customer service never answered my emails.", "It took three weeks to get my refund.",
            "The person on the phone was rude to me.", "My complaint was closed without a solution.",
            "Nobody could tell me where my return was.", "I waited over an hour in the chat queue.",
            "Support kept sending me the same standard reply.", "You promised to call me back and never did.",
        ],
        [
            "The parcel arrived damaged for the second time.", "Delivery was late again and nobody warned me.",
            "The quality of the products has gone down.", "I received the wrong item and gave up.",
            "The website kept crashing at checkout.", "The app logged me out every time I tried to pay.",
            "Items were missing from my last two orders.", "The product broke after a week.",
        ],
        [
            "I moved abroad and you do not deliver here.", "I simply do not need it anymore.",
            "Just taking a break for a few months.", "We had a baby and our routine changed.",
            "I only needed it for a project that is finished.", "Nothing wrong, my situation changed.",
            "I am cutting back on online shopping in general.", "I started buying fresh at the market instead.",
        ],
    ];

    private static readonly string[][] Dutch =
    [
        [
            "Te duur voor wat je krijgt.", "Ik vond dezelfde producten elders goedkoper.",
            "De verzendkosten zijn te hoog voor kleine bestellingen.", "Zonder korting is het de prijs niet meer waard.",
            "De prijzen zijn dit jaar twee keer verhoogd.", "Het abonnement kost me nu gewoon te veel.",
            "Een andere winkel bezorgt gratis, bij jullie betaal ik ervoor.", "Eerlijk gezegd past het niet meer in mijn budget.",
        ],
        [
            "De klantenservice heeft nooit op mijn mails gereageerd.", "Het duurde drie weken voordat ik mijn geld terugkreeg.",
            "De medewerker aan de telefoon was onbeleefd.", "Mijn klacht werd gesloten zonder oplossing.",
            "Niemand kon me vertellen waar mijn retour bleef.", "Ik heb meer dan een uur in de chat gewacht.",
            "Ik kreeg steeds hetzelfde standaardantwoord.", "Jullie zouden terugbellen maar dat is nooit gebeurd.",
        ],
        [
            "Het pakket kwam voor de tweede keer beschadigd aan.", "De bezorging was weer te laat en niemand liet iets weten.",
            "De kwaliteit van de producten is achteruitgegaan.", "Ik kreeg het verkeerde artikel en heb het opgegeven.",
            "De website liep steeds vast bij het afrekenen.", "De app logde me uit zodra ik wilde betalen.",
            "Er ontbraken artikelen in mijn laatste twee bestellingen.", "Het product ging na een week al kapot.",
        ],
        [
            "Ik ben naar het buitenland verhuisd en jullie bezorgen hier niet.", "Ik heb het gewoon niet meer nodig.",
            "Ik neem een paar maanden pauze.", "We hebben een baby gekregen en ons ritme is veranderd.",
            "Ik had het alleen nodig voor een project dat nu klaar is.", "Niets mis mee, mijn situatie is veranderd.",
            "Ik koop in het algemeen minder online.", "Ik koop nu liever vers op de markt.",
        ],
    ];

    /// <summary>One or two sentences about <paramref name="reason"/> (an index into <see cref="Reasons"/>) in the customer's language.</summary>
    public static string Comment(Random random, string locale, int reason)
    {
        var sentences = (locale == CustomerLocales.Dutch ? Dutch : English)[reason];
        var first = random.Next(sentences.Length);
        if (random.NextDouble() >= 0.3)
        {
            return sentences[first];
        }

        // A second, different sentence about the same reason: longer answers read more naturally.
        var second = (first + 1 + random.Next(sentences.Length - 1)) % sentences.Length;
        return $"{sentences[first]} {sentences[second]}";
    }
}
