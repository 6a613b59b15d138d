"""A seeded grammar of news prose: people, places, organisations, numbers, quotes and stories.

Every story is drawn from a ``random.Random``: a topic, a cast (named people with roles, an
organisation, a place), figures, and then paragraphs built from slot-dense sentence templates and
compositional quotes (opener + claim + tail, the claim itself made of a topic's subjects, verbs,
objects and phrases). Fixed runs between slots are short, so two different stories share few word
5-grams even on the same topic, while a story reads like a wire or local-news article.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

MAX_WORDS = 900  # an article's paragraphs (headline and byline apart): 300 to 900 words


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony
Betty Mark Margaret Donald Sandra Steven Ashley Paul Kimberly Andrew Emily Joshua Donna
Kenneth Michelle Kevin Carol Brian Amanda George Melissa Timothy Deborah Ronald Stephanie
Jason Rebecca Edward Laura Jeffrey Sharon Ryan Cynthia Jacob Kathleen Gary Amy Nicholas
Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole
Brandon Helen Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank
Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry Heather Tyler Diane
Aaron Ruth Jose Julie Adam Olivia Nathan Joyce Henry Virginia Douglas Victoria Zachary Kelly
Peter Lauren Kyle Christina Ethan Joan Walter Evelyn Noah Judith Jeremy Megan Christian
Andrea Keith Cheryl Roger Hannah Terry Jacqueline Gerald Martha Harold Gloria Sean Teresa
Austin Ann Carl Sara Arthur Madison Lawrence Frances Dylan Kathryn Jesse Janice Jordan Jean
Bryan Abigail Billy Alice Joe Judy Bruce Sophia Gabriel Grace Logan Denise Albert Amber
Willie Doris Alan Marilyn Juan Danielle Wayne Beverly Elijah Isabella Randy Theresa Roy
Diana Vincent Natalie Ralph Brittany Eugene Charlotte Russell Marie Bobby Kayla Mason Alexis
Philip Lori Louis Priya Rahul Aisha Omar Fatima Yusuf Mei Wei Hiroshi Yuki Sven Ingrid Lars
Astrid Pierre Amelie Luca Giulia Mateo Lucia Pablo Carmen Diego Sofia Ahmed Leila Kwame Ama
Chidi Ngozi Thabo Naledi Olga Dmitri Katarzyna Piotr Anneke Joost Siobhan Declan Niamh Eoin
Rhys Carys Farah Tariq Anjali Vikram Mehmet Elif Kofi Zanele Tomasz Agnieszka Bjorn Freya
Mihai Ioana"""
)

LAST = _words(
    """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips
Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook
Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan
Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera
Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison
Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker
Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason
Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox
Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan
Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Hansen Peters Santos Hart
Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Ray
Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence
Sandoval Okafor Mensah Abara Nakamura Tanaka Sato Kowalski Nowak Jansen DeVries Lindqvist
Eriksson Rossi Bianchi Moreau Dubois Schneider Fischer Weber Novak Horvat Popescu Ivanova
Petrov Haddad Khalil Rahman Siddiqui Sharma Gupta Iyer Banerjee Mukherjee Okonkwo Adeyemi
Mwangi Otieno Dlamini Nkosi Oyelaran Byrne Gallagher Doyle Quinn Walsh Brennan Lynch Pryce
Llewellyn Morgan Vaughan Ahmadi Karimi Yilmaz Demir Osei Boateng"""
)

TOWN_A = _words(
    """Ash Bright Cold Elm Fair Glen Green Hart High Kings Lang Mill North Oak Pine Red River Rock
Salt South Stan Stone West White Wood Bar Black Brook Clay Deer East Fox Gold Hazel Iron
Lake Maple New Old Port Ridge Sand Shel Silver Spring Sun Thorn Willow Wind Win Al Ben Carl
Dun Ever Fern Gran Hol Lin Mar Nor Pem Ros Sum Tal Wal Amber Beck Cam Ched Dover Elder Frost
Hamp"""
)
TOWN_B = _words(
    """ford field ton bury wood ham dale bridge port mouth ley stead wick worth gate haven more
view brook cliff well by minster hurst combe ridge vale crest falls burg ville"""
)

CITIES = _words(
    """London Paris Berlin Madrid Rome Lisbon Dublin Brussels Amsterdam Vienna Warsaw Prague
Budapest Athens Stockholm Oslo Helsinki Copenhagen Geneva Zurich Istanbul Cairo Nairobi
Lagos Accra Johannesburg Dakar Addis-Ababa Kampala Mumbai Delhi Karachi Dhaka Colombo
Bangkok Jakarta Manila Hanoi Singapore Tokyo Seoul Beijing Shanghai Sydney Melbourne
Auckland Toronto Montreal Vancouver Chicago Houston Denver Atlanta Boston Seattle Miami
Phoenix Mexico-City Bogota Lima Santiago Buenos-Aires Sao-Paulo Brasilia Caracas Quito
Tehran Riyadh Dubai Doha Amman Beirut Baghdad Tbilisi Kyiv Bucharest Sofia Belgrade Zagreb
Vilnius Riga Tallinn"""
)

REGIONS = _words("""county district province state region valley borough parish""")

WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS = _words(
    """January February March April May June July August September October November December"""
)
NUMBER_WORDS = _words("two three four five six seven eight nine ten eleven twelve")

ROLES_GENERIC = [
    "spokesperson for {ORG}",
    "director of {ORG}",
    "chief executive of {ORG}",
    "chair of {ORG}",
    "a senior official at {ORG}",
    "deputy head of {ORG}",
    "an adviser to {ORG}",
    "head of operations at {ORG}",
]

ORG_PATTERNS = [
    "the {TOWN} {ORGNOUN}",
    "{TOWN} {ORGNOUN}",
    "the {ADJ} {FIELD} {GROUPNOUN}",
    "{LAST} {FIELD} {GROUPNOUN}",
    "{LAST} & {LAST2} {FIRMNOUN}",
    "the {FIELD} Institute of {TOWN}",
    "the Centre for {FIELD} Studies",
    "{TOWN} {FIELD} Partners",
]
ORGNOUN = [
    "City Council",
    "District Council",
    "Housing Association",
    "Chamber of Commerce",
    "Water Board",
    "Transit Authority",
    "Health Trust",
    "School Board",
    "Police Department",
    "Fire Service",
    "Port Authority",
    "Planning Committee",
    "Residents Association",
    "Farmers Union",
    "Teachers Union",
    "Hospital Trust",
    "Library Service",
    "Regional Assembly",
    "Development Agency",
    "Environment Agency",
]
ADJ = _words(
    """National United Northern Southern Central Allied Coastal Continental Independent Federal
Western Eastern Royal Metropolitan Regional Atlantic Pacific General Consolidated Integrated"""
)
FIELD = _words(
    """Energy Housing Transport Health Water Steel Farming Shipping Aviation Tobacco Mining
Insurance Logistics Software Retail Textile Timber Fisheries Dairy Rail Solar Wind Battery
Pharmaceutical Chemical Media Telecom Construction Banking Grain Coffee Cocoa Automotive"""
)
GROUPNOUN = _words("Group Holdings Corporation Association Council Federation Alliance Trust")
FIRMNOUN = _words("LLP Associates Partners Consulting")

OPENERS = [
    "We have been clear from the start that",
    "I think",
    "Nobody wants to see a situation where",
    "What matters now is that",
    "Our position has always been that",
    "We will not stand by while",
    "It is too early to say whether",
    "People deserve to know whether",
    "I have spoken to families who fear",
    "There is no doubt that",
    "The evidence shows that",
    "Frankly, I do not believe",
    "We are confident that",
    "Let me be clear:",
    "I understand the frustration, but",
    "For the first time in years,",
    "We warned last year that",
    "My message to residents is that",
    "Anyone who looks at the figures can see that",
    "It would be wrong to pretend",
    "The simple truth is that",
    "We accept that",
    "I am deeply concerned that",
    "This shows that",
    "After months of talks,",
    "Nobody should be surprised that",
]
MODALS = [
    "will",
    "could",
    "would",
    "must",
    "should",
    "may",
    "will not",
    "cannot",
    "might",
    "would never",
]
TAILS = [
    "",
    "",
    "",
    " and that is what we will do",
    " for years to come",
    " before the end of the year",
    " if nothing changes",
    " whatever happens next",
    " and we will keep saying so",
    " in the long run",
    " across the whole {REGION}",
    " unless {ORG} acts quickly",
    " for families like mine",
    " by the time the work is finished",
]
ATTRIB = [
    "said",
    "told reporters",
    "said in a statement",
    "told a news conference",
    "said on {DAY}",
    "told {OUTLET}",
    "wrote on social media",
    "said in an interview",
    "added",
    "told the meeting",
]

# Topic lexicons: headline and lead templates, subjects, verbs (base form), objects, phrases and
# topic-specific sentences. Slots: {P1} {P1L} {P1R} {P2} {P2L} {P2R} {P3} {P3L} {P3R} {ORG}
# {ORG2} {TOWN} {CITY} {REGION} {DAY} {MONTH} {N1}..{N4} {MONEY} {PCT} {PCT2} {YEAR} {COUNT}
# {THING} {THING2} {ISSUE} {EVENT} {WHERE}
TOPICS: dict[str, dict[str, list[str]]] = {
    "housing": {
        "headline": [
            "{TOWN} approves {MONEY} plan for {N1} new homes",
            "Council vote on {TOWN} housing scheme delayed again",
            "Rents in {TOWN} rise {PCT} percent as waiting list grows",
            "{ORG} unveils plan to build {N1} homes on former {THING} site",
            "Residents fight {N1}-home development near {TOWN}",
        ],
        "event": ["housing plan", "development", "scheme", "planning decision", "rezoning vote"],
        "thing": [
            "rail yard",
            "gasworks",
            "retail park",
            "hospital",
            "army barracks",
            "factory",
            "car park",
            "dairy farm",
            "quarry",
            "printing works",
        ],
        "subject": [
            "rents",
            "the waiting list",
            "first-time buyers",
            "the new homes",
            "planning rules",
            "the developer",
            "local landlords",
            "affordable units",
            "tenants in older blocks",
            "the building programme",
        ],
        "verb": [
            "push up",
            "cut",
            "delay",
            "protect",
            "undermine",
            "ease pressure on",
            "change the character of",
            "bring new life to",
            "price out",
            "double",
        ],
        "object": [
            "young families",
            "the town centre",
            "older residents",
            "the green belt",
            "local schools",
            "house prices",
            "the high street",
            "key workers",
            "the flood plain",
            "traffic on the ring road",
        ],
        "issue": [
            "affordability",
            "the loss of green space",
            "pressure on local roads",
            "the share of social housing",
            "building heights",
            "the lack of parking",
        ],
        "sentence": [
            "Under the plan, {N2} of the {N1} homes would be offered at below-market rents, "
            "with the rest sold on the open market.",
            "The site, which lay empty for {N3} years after the {THING} closed, was bought by "
            "{ORG2} in {YEAR} for {MONEY}.",
            "Objectors lodged {COUNT} letters with the planning department, most citing {ISSUE}.",
            "A report by council officers found that average rents in {TOWN} had climbed "
            "{PCT} percent since {YEAR}, against {PCT2} percent for the {REGION} as a whole.",
            "More than {COUNT} households are on the {TOWN} waiting list, some of them for "
            "over {N3} years.",
        ],
    },
    "transport": {
        "headline": [
            "{TOWN} rail line to close for {N3} weeks of repairs",
            "Bus fares in {TOWN} to rise by {PCT} percent",
            "{ORG} scraps {MONEY} bypass after costs soar",
            "Commuters face delays as {TOWN} bridge shuts",
            "New tram route for {TOWN} wins final approval",
        ],
        "event": ["closure", "fare increase", "road project", "timetable change", "rail upgrade"],
        "thing": [
            "bypass",
            "tram line",
            "station car park",
            "river bridge",
            "bus depot",
            "cycle lane",
            "level crossing",
            "signal box",
            "ferry terminal",
            "ring road",
        ],
        "subject": [
            "commuters",
            "the new timetable",
            "the operator",
            "bus passengers",
            "the replacement service",
            "drivers",
            "the upgrade",
            "freight traffic",
            "the ticket changes",
            "cyclists",
        ],
        "verb": [
            "add an hour to",
            "cut journey times for",
            "put off",
            "hit",
            "improve",
            "cause chaos for",
            "make life harder for",
            "divert traffic away from",
            "save",
            "strand",
        ],
        "object": [
            "shift workers",
            "rural villages",
            "the morning rush",
            "students",
            "the old town",
            "hospital patients",
            "local businesses",
            "night services",
            "weekend visitors",
            "the city centre",
        ],
        "issue": [
            "reliability",
            "ticket prices",
            "staff shortages",
            "the state of the track",
            "congestion",
            "safety at crossings",
        ],
        "sentence": [
            "Trains between {TOWN} and {TOWN2} will be replaced by buses from {DAY}, adding up to "
            "{N2} minutes to each journey.",
            "Passenger numbers on the route have fallen {PCT} percent since {YEAR}, according "
            "to figures from {ORG2}.",
            "Engineers found {N3} cracks in the {THING} during an inspection in {MONTH}.",
            "The {THING} carries around {COUNT} vehicles a day, the {ORG} estimates.",
            "The contract, worth {MONEY}, was awarded to {ORG2} after a tender that drew "
            "{N2} bids.",
        ],
    },
    "courts": {
        "headline": [
            "{P1L} jailed for {N3} years over {TOWN} {THING} fraud",
            "Jury finds {TOWN} man guilty of {THING} theft",
            "Judge throws out case against {ORG}",
            "{TOWN} trial hears of {MONEY} scheme",
            "Former {TOWN} official admits misconduct",
        ],
        "event": ["trial", "sentencing", "hearing", "verdict", "appeal"],
        "thing": [
            "pension",
            "charity",
            "insurance",
            "grant",
            "payroll",
            "land",
            "fuel card",
            "parking permit",
            "catering contract",
            "benefits",
        ],
        "subject": [
            "the defendant",
            "the prosecution",
            "the judge",
            "the jury",
            "the victims",
            "the defence",
            "the evidence",
            "the appeal",
            "the company",
            "the investigators",
        ],
        "verb": [
            "mislead",
            "fail",
            "deceive",
            "betray",
            "cost",
            "ignore",
            "rely on",
            "put pressure on",
            "protect",
            "let down",
        ],
        "object": [
            "pensioners",
            "the court",
            "investors",
            "the charity's donors",
            "council tax payers",
            "his former employer",
            "the auditors",
            "vulnerable clients",
            "the regulator",
            "the witnesses",
        ],
        "issue": [
            "the length of the sentence",
            "the delay in bringing charges",
            "missing records",
            "the role of the auditors",
            "the cost of the trial",
        ],
        "sentence": [
            "The court heard that {P1L} moved {MONEY} through {N2} bank accounts between "
            "{YEAR} and {YEAR2}.",
            "Prosecutors said the scheme ran for {N3} years before an audit by {ORG2} exposed it.",
            "{P1L}, {N4}, of {TOWN}, denied {N2} counts of fraud but was convicted on all of them.",
            "Judge {P3L} told the court the offences were aggravated by a breach of trust.",
            "The trial at {TOWN} Crown Court lasted {N3} weeks and heard from {N4} witnesses.",
        ],
    },
    "health": {
        "headline": [
            "{TOWN} hospital waiting times hit record high",
            "{ORG} to shut {TOWN} maternity unit",
            "Outbreak of {THING} confirmed in {TOWN}",
            "New {MONEY} clinic opens in {TOWN}",
            "Doctors warn over {THING} cases in {REGION}",
        ],
        "event": ["outbreak", "closure", "staffing crisis", "vaccination drive", "new clinic"],
        "thing": [
            "measles",
            "norovirus",
            "whooping cough",
            "legionella",
            "scarlet fever",
            "tuberculosis",
            "hepatitis A",
            "mumps",
            "salmonella",
            "flu",
        ],
        "subject": [
            "waiting times",
            "the new clinic",
            "nurses",
            "the emergency department",
            "patients",
            "the vaccination campaign",
            "the trust",
            "ambulance crews",
            "family doctors",
            "the closure",
        ],
        "verb": [
            "put at risk",
            "reach",
            "fail",
            "protect",
            "leave behind",
            "save the lives of",
            "overwhelm",
            "help",
            "reassure",
            "stretch",
        ],
        "object": [
            "elderly patients",
            "pregnant women",
            "children under five",
            "the night shift",
            "rural communities",
            "care homes",
            "the most vulnerable",
            "junior doctors",
            "cancer patients",
            "local pharmacies",
        ],
        "issue": [
            "staff shortages",
            "bed capacity",
            "ambulance response times",
            "the cost of agency nurses",
            "vaccination rates",
        ],
        "sentence": [
            "Health officials said {N2} cases of {THING} had been confirmed in {TOWN} since "
            "{MONTH}, {N3} of them in children.",
            "The emergency department at {TOWN} General saw {COUNT} patients last month, "
            "{PCT} percent more than a year earlier.",
            "Only {PCT} percent of patients were seen within four hours, against a target of "
            "{PCT2} percent.",
            "{ORG} has {N4} vacancies for nurses and relies on agency staff for about a fifth "
            "of its shifts.",
            "Vaccination rates in the {REGION} stand at {PCT} percent, below the level experts "
            "say is needed.",
        ],
    },
    "business": {
        "headline": [
            "{ORG} profits fall {PCT} percent as costs bite",
            "{ORG} to cut {COUNT} jobs at {TOWN} plant",
            "{ORG} agrees {MONEY} takeover of {ORG2}",
            "Shares in {ORG} jump after {THING} deal",
            "{TOWN} factory saved as {ORG} wins order",
        ],
        "event": ["results", "job cuts", "takeover", "restructuring", "expansion"],
        "thing": [
            "supply",
            "licensing",
            "export",
            "distribution",
            "joint venture",
            "software",
            "shipping",
            "defence",
            "energy",
            "packaging",
        ],
        "subject": [
            "the company",
            "investors",
            "the deal",
            "the board",
            "sales",
            "the new owners",
            "the unions",
            "the restructuring",
            "profit margins",
            "the order book",
        ],
        "verb": [
            "reassure",
            "hit",
            "secure the future of",
            "cost",
            "reward",
            "squeeze",
            "open new markets for",
            "weaken",
            "strengthen",
            "disappoint",
        ],
        "object": [
            "shareholders",
            "the workforce",
            "suppliers",
            "the town's economy",
            "customers in Asia",
            "the pension fund",
            "the share price",
            "small retailers",
            "the apprentices",
            "the rival bidders",
        ],
        "issue": [
            "energy costs",
            "weak demand",
            "the strong currency",
            "debt levels",
            "the pension deficit",
            "competition from imports",
        ],
        "sentence": [
            "Revenue rose to {MONEY} in the {N2} months to {MONTH}, while pre-tax profit fell "
            "{PCT} percent.",
            "The {TOWN} plant employs about {COUNT} people and has been making {THING} equipment "
            "since {YEAR}.",
            "Shares in {ORG} closed {PCT2} percent higher, valuing the group at about {MONEY}.",
            "Analysts at {ORG2} had expected a smaller decline, citing {ISSUE}.",
            "The company said it would consult staff over the next {N3} weeks.",
        ],
    },
    "weather": {
        "headline": [
            "Floods cut off {TOWN} as river bursts its banks",
            "Wildfire forces {COUNT} to flee homes near {TOWN}",
            "Storm leaves {COUNT} homes without power in {REGION}",
            "{TOWN} braces for {N3} days of heavy snow",
            "Heatwave warning issued for {TOWN} and {TOWN2}",
        ],
        "event": ["flood", "wildfire", "storm", "heatwave", "snowfall"],
        "thing": [
            "river",
            "reservoir",
            "coastal road",
            "sea wall",
            "power line",
            "forest",
            "flood barrier",
            "canal",
            "hillside",
            "drainage system",
        ],
        "subject": [
            "the water",
            "the fire",
            "crews",
            "the storm",
            "residents",
            "the evacuation",
            "the clean-up",
            "the forecast",
            "rescue teams",
            "the wind",
        ],
        "verb": [
            "threaten",
            "reach",
            "cut off",
            "damage",
            "spare",
            "force out",
            "surround",
            "flood",
            "keep away from",
            "protect",
        ],
        "object": [
            "outlying farms",
            "the old bridge",
            "hundreds of homes",
            "the main road",
            "the water treatment works",
            "caravan parks",
            "the village school",
            "livestock",
            "the railway line",
            "holiday cottages",
        ],
        "issue": [
            "flood defences",
            "evacuation warnings",
            "insurance cover",
            "the response time",
            "drought",
        ],
        "sentence": [
            "The {THING} rose {N2} metres overnight, the highest level recorded since {YEAR}.",
            "About {COUNT} properties were without power on {DAY} morning, {ORG2} said.",
            "The fire had burned {COUNT} hectares by {DAY} evening and was {PCT} percent "
            "contained.",
            "Forecasters expect up to {N3} centimetres of rain in the {REGION} over the next "
            "{N2} days.",
            "Emergency shelters were opened at {N2} schools in {TOWN} and {TOWN2}.",
        ],
    },
    "education": {
        "headline": [
            "{TOWN} school to close as pupil numbers fall",
            "Teachers at {N3} {TOWN} schools vote to strike",
            "{ORG} pledges {MONEY} for school repairs",
            "Exam results in {TOWN} best for {N3} years",
            "Parents protest over {TOWN} school merger",
        ],
        "event": ["closure", "strike", "merger", "funding pledge", "inspection"],
        "thing": [
            "science block",
            "sports hall",
            "roof",
            "heating system",
            "library",
            "playground",
            "music department",
            "canteen",
            "sixth form",
            "special needs unit",
        ],
        "subject": [
            "pupils",
            "the merger",
            "teachers",
            "the school",
            "the inspectors",
            "head teachers",
            "the new funding",
            "class sizes",
            "the strike",
            "parents",
        ],
        "verb": [
            "disrupt",
            "help",
            "fail",
            "support",
            "leave out",
            "protect",
            "overload",
            "inspire",
            "penalise",
            "give hope to",
        ],
        "object": [
            "children with special needs",
            "exam classes",
            "the youngest pupils",
            "rural schools",
            "working parents",
            "newly qualified teachers",
            "the catchment area",
            "school budgets",
            "the bus service",
            "sixth formers",
        ],
        "issue": [
            "teacher pay",
            "falling rolls",
            "crumbling buildings",
            "class sizes",
            "school transport",
        ],
        "sentence": [
            "The school has {COUNT} pupils on its roll, down from {N4} hundred in {YEAR}.",
            "Inspectors rated the {THING} unsafe in {MONTH} and it has been closed since.",
            "Of the {N4} teachers balloted, {PCT} percent voted for strike action.",
            "The repair backlog across {TOWN} schools is put at {MONEY} by {ORG2}.",
            "Pupils will move to {TOWN2} Academy, about {N2} miles away, from September.",
        ],
    },
    "politics": {
        "headline": [
            "{P1L} wins {TOWN} by-election by {COUNT} votes",
            "{ORG} leader {P1L} faces confidence vote",
            "{P1L} quits over {THING} row",
            "Coalition talks in {CITY} stall over {ISSUE}",
            "Voters in {TOWN} go to the polls on {DAY}",
        ],
        "event": ["by-election", "confidence vote", "resignation", "coalition talks", "referendum"],
        "thing": [
            "expenses",
            "lobbying",
            "donations",
            "contracts",
            "leaked emails",
            "second jobs",
            "party funding",
            "procurement",
            "appointments",
            "travel",
        ],
        "subject": [
            "voters",
            "the government",
            "the opposition",
            "the party",
            "the coalition",
            "the new mayor",
            "the inquiry",
            "backbenchers",
            "turnout",
            "the result",
        ],
        "verb": [
            "punish",
            "reward",
            "abandon",
            "challenge",
            "reject",
            "deliver for",
            "ignore",
            "listen to",
            "win back",
            "split",
        ],
        "object": [
            "the party leadership",
            "working people",
            "the budget",
            "rural voters",
            "the reform plans",
            "the prime minister",
            "young voters",
            "the council",
            "the unions",
            "the constitution",
        ],
        "issue": [
            "the budget deficit",
            "immigration",
            "tax cuts",
            "the pension age",
            "energy prices",
            "regional funding",
        ],
        "sentence": [
            "{P1L} took {PCT} percent of the vote on a turnout of {PCT2} percent.",
            "The result overturned a majority of {COUNT} held by {ORG2} since {YEAR}.",
            "{N4} members of the assembly signed a letter calling for {P1L} to go.",
            "The row began in {MONTH} when documents showed {MONEY} in payments linked to {THING}.",
            "Talks in {CITY} have now lasted {N3} weeks without agreement on {ISSUE}.",
        ],
    },
    "science": {
        "headline": [
            "Scientists in {TOWN} find new species of {THING}",
            "{ORG} study links {THING} to {ISSUE}",
            "{MONEY} telescope project gets green light",
            "Researchers map {THING} decline across {REGION}",
            "{ORG} team reports breakthrough on {THING}",
        ],
        "event": ["study", "discovery", "trial", "survey", "research project"],
        "thing": [
            "beetle",
            "soil bacteria",
            "wild bees",
            "river fish",
            "sea grass",
            "frog",
            "moss",
            "bat",
            "lichen",
            "plankton",
        ],
        "subject": [
            "the findings",
            "the researchers",
            "the study",
            "the samples",
            "the data",
            "the new method",
            "the team",
            "the survey",
            "the trial",
            "the model",
        ],
        "verb": [
            "change how we think about",
            "help protect",
            "shed light on",
            "raise questions about",
            "transform",
            "track",
            "reveal the scale of",
            "explain",
            "challenge",
            "confirm",
        ],
        "object": [
            "wetland habitats",
            "crop yields",
            "the food chain",
            "coastal waters",
            "older theories",
            "farm practices",
            "the wider ecosystem",
            "rare species",
            "pollution levels",
            "soil health",
        ],
        "issue": [
            "pesticide use",
            "warmer winters",
            "light pollution",
            "river pollution",
            "habitat loss",
        ],
        "sentence": [
            "The team collected {COUNT} samples from {N2} sites between {YEAR} and {YEAR2}.",
            "Numbers of {THING} fell by {PCT} percent over the period, the paper reports.",
            "The work was funded by a {MONEY} grant from {ORG2}.",
            "The findings were published on {DAY} in a peer-reviewed journal.",
            "Similar declines have been recorded at {N3} other sites across the {REGION}.",
        ],
    },
    "sport": {
        "headline": [
            "{TOWN} United beat {TOWN2} {N1S} to reach final",
            "{P1L} sacked as {TOWN} manager",
            "{TOWN} striker {P1L} out for {N3} weeks",
            "{TOWN} stadium plan wins backing",
            "Late goal sinks {TOWN} in derby",
        ],
        "event": [
            "stadium plan",
            "takeover",
            "ticket price rise",
            "ground move",
            "academy closure",
        ],
        "thing": [
            "knee",
            "hamstring",
            "ankle",
            "shoulder",
            "back",
            "groin",
            "calf",
            "wrist",
            "hip",
            "foot",
        ],
        "subject": [
            "the players",
            "the fans",
            "the club",
            "the new manager",
            "the board",
            "the squad",
            "the result",
            "the defence",
            "the owners",
            "the supporters",
        ],
        "verb": [
            "lift",
            "let down",
            "keep faith with",
            "frustrate",
            "inspire",
            "silence",
            "back",
            "doubt",
            "thank",
            "push",
        ],
        "object": [
            "the away end",
            "the academy players",
            "the league leaders",
            "the season ticket holders",
            "the dressing room",
            "the coaching staff",
            "the title race",
            "the relegation rivals",
            "the home crowd",
            "the youth team",
        ],
        "issue": [
            "ticket prices",
            "the transfer budget",
            "the club's debts",
            "injuries",
            "the pitch",
        ],
        "sentence": [
            "A crowd of {COUNT} saw {P2L} score in the {N4}th minute.",
            "{TOWN} have now won {N2} of their last {N3} league games.",
            "{P1L} joined from {TOWN2} in {YEAR} for a fee reported to be {MONEY}.",
            "The club said scans had confirmed damage to the {THING}.",
            "The new stand would raise capacity to {COUNT}, the club says.",
        ],
    },
    "energy": {
        "headline": [
            "{ORG} plans {N1}-turbine wind farm off {TOWN}",
            "Energy bills in {REGION} to rise {PCT} percent",
            "{TOWN} power station to close in {YEAR2}",
            "Solar farm near {TOWN} approved despite protests",
            "{ORG} fined {MONEY} over {THING} failures",
        ],
        "event": ["wind farm", "price rise", "closure", "solar farm", "fine"],
        "thing": [
            "billing",
            "meter",
            "pipeline",
            "grid",
            "turbine",
            "substation",
            "battery",
            "cable",
            "boiler",
            "reactor",
        ],
        "subject": [
            "households",
            "the wind farm",
            "the regulator",
            "the supplier",
            "the grid",
            "the solar panels",
            "bills",
            "the new cable",
            "the operator",
            "the closure",
        ],
        "verb": [
            "power",
            "hit",
            "spoil the view for",
            "compensate",
            "protect",
            "cost",
            "supply",
            "overcharge",
            "benefit",
            "disrupt",
        ],
        "object": [
            "low-income households",
            "the coastline",
            "small businesses",
            "the local economy",
            "farmland",
            "bird colonies",
            "pensioners",
            "the fishing fleet",
            "the national grid",
            "{N1} thousand homes",
        ],
        "issue": [
            "energy prices",
            "grid capacity",
            "the view from the coast",
            "bird strikes",
            "fuel poverty",
        ],
        "sentence": [
            "The {N1} turbines would generate enough electricity for about {COUNT} homes.",
            "The regulator found that {COUNT} customers were overcharged by an average of "
            "{MONEY2}.",
            "The plant has run since {YEAR} and employs {N4} staff.",
            "Average annual bills will rise to {MONEY2}, an increase of {PCT} percent.",
            "Construction is due to start in {MONTH} and take {N3} years.",
        ],
    },
    "crime": {
        "headline": [
            "Police appeal after {THING} raid in {TOWN}",
            "{N2} arrested over {TOWN} {THING} thefts",
            "Man charged after {TOWN} stabbing",
            "{TOWN} police launch crackdown on {ISSUE}",
            "Cash machine stolen in {TOWN} ram raid",
        ],
        "event": ["raid", "arrests", "appeal", "crackdown", "investigation"],
        "thing": [
            "jewellery shop",
            "catalytic converter",
            "bicycle",
            "post office",
            "pharmacy",
            "warehouse",
            "farm machinery",
            "copper cable",
            "petrol station",
            "phone shop",
        ],
        "subject": [
            "officers",
            "the suspects",
            "the gang",
            "witnesses",
            "the investigation",
            "the victims",
            "the patrols",
            "shopkeepers",
            "detectives",
            "the public",
        ],
        "verb": [
            "target",
            "frighten",
            "help",
            "catch",
            "identify",
            "deter",
            "come forward to",
            "reassure",
            "trace",
            "warn",
        ],
        "object": [
            "elderly residents",
            "local traders",
            "anyone with dashcam footage",
            "the town centre",
            "night-time economy",
            "farms in the area",
            "delivery drivers",
            "young people",
            "the estate",
            "those responsible",
        ],
        "issue": [
            "antisocial behaviour",
            "knife crime",
            "shoplifting",
            "drug dealing",
            "car theft",
        ],
        "sentence": [
            "The raid happened at about {HOUR}:{MIN} on {DAY} on {STREET} in {TOWN}.",
            "Detectives said {N2} men wearing balaclavas fled in a dark hatchback.",
            "A {N4}-year-old man from {TOWN2} has been charged and will appear before "
            "magistrates on {DAY2}.",
            "Reported thefts of {THING} equipment in the {REGION} rose {PCT} percent last year.",
            "Anyone with information is asked to call police quoting reference {REF}.",
        ],
    },
}

STREET_A = _words(
    """High Station Church Mill Market Bridge Park Victoria Albert Queen King London Castle Chapel
North School Water Green Manor Hill"""
)
STREET_B = _words("Street Road Lane Avenue Way Terrace Close Row Square")

GENERIC_BODY = [
    "{P2}, {P2R}, [said|told {OUTLET}|confirmed] the {EVENT} had been {UNDER} for {N3} "
    "[months|weeks].",
    "The [decision|announcement|vote] follows {N2} [public meetings|open meetings|drop-in "
    "sessions] in {TOWN} and a [consultation|survey|review] that drew {COUNT} "
    "[responses|replies|submissions].",
    "{ORG} said it would [publish|release|set out] a [full|detailed|formal] [response|reply|"
    "plan] [by the end of|before|in] {MONTH}.",
    "Figures [seen by|obtained by|shared with] {OUTLET} show {COUNT} {PEOPLE} were "
    "[affected|hit|caught up] in the {REGION} [last year|in {YEAR2}|since {YEAR}].",
    "It is [not the first time|hardly the first time] {ORG} has [faced questions|come under "
    "fire|been criticised] over {ISSUE}.",
    "In {YEAR}, a [similar|comparable] {EVENT} in {TOWN2} was [abandoned|dropped|scrapped] "
    "after {N3} months.",
    "[Opposition members|Councillors from {ORG2}|Campaigners] accused {ORG} of [rushing|"
    "pushing|forcing] the {EVENT} through [without scrutiny|too quickly|behind closed doors].",
    "{P3}, who has lived in {TOWN} for {N4} years, said [neighbours|her neighbours|people on "
    "{STREET}] were [worried|anxious|angry] about {ISSUE}.",
    "A spokesperson for {ORG} [declined to comment on|would not discuss] {ISSUE} but said "
    "[talks|discussions|negotiations] were [continuing|ongoing].",
    "The {EVENT} will be [reviewed again|looked at again|revisited] in {MONTH}, "
    "[officials|a spokesperson for {ORG}|{P1L}] said.",
    "{P1L} is [due|expected|scheduled] to meet [representatives|officials|members] of {ORG2} "
    "on {DAY2}.",
    "[Critics|Opponents|Some {PEOPLE}] say the {EVENT} does little to [address|tackle|fix] "
    "{ISSUE}.",
    "A petition against the {EVENT} [has gathered|has drawn|now has] more than {COUNT} "
    "[signatures|names].",
    "Supporters point to {TOWN2}, where a [similar|comparable] {EVENT} [led to|was followed "
    "by] a {PCT} percent [fall|drop] in [complaints|{ISSUE}].",
    "The [final|total] cost is now [estimated|put] at {MONEY}, [up from|compared with] {MONEY2} "
    "when the {EVENT} was first [announced|proposed] in {YEAR}.",
    "{P2L} said lessons had been learned from {ISSUE} in {YEAR}.",
    "[Members|Councillors|The committee] voted {N4} to {N2} in favour, with {N1S} "
    "[abstentions|members abstaining].",
    "{OUTLET} [contacted|approached] {ORG2} for comment [but had not received a reply|but "
    "received no answer] by {DAY} [evening|afternoon|morning].",
    "Asked about {ISSUE}, {P1L} said the [figures|numbers|details] would be "
    "[published|released] in {MONTH}.",
    "{P3}, {P3R}, said the [plans|proposals] had not been [properly explained|clearly set out] "
    "to [people|families|businesses] in {TOWN2}.",
    "According to {ORG2}, the {EVENT} [affects|concerns|will touch] about {COUNT} {PEOPLE} in "
    "{TOWN} alone.",
    "The {REGION} has seen {N2} [similar|comparable] disputes since {YEAR}, most of them over "
    "{ISSUE}.",
    "{P2L} said the next {N3} [weeks|months] would be [critical|decisive|crucial].",
    "A [meeting|public meeting|packed meeting] at {TOWN} [town hall|library|community centre] "
    "on {DAY} [evening|night] drew about {N4} people.",
    "Documents released under freedom of information rules show {ORG} was [warned|told] about "
    "{ISSUE} [as early as|in] {YEAR}.",
    "An [independent|external] review [commissioned|ordered] by {ORG2} is [due to report|"
    "expected to report] in {MONTH}.",
    "{TOWN}, [home to|a town of] about {COUNT} people, [lies|sits] {N2} miles from {TOWN2}.",
    "The {EVENT} was raised at {N3} [separate|different] meetings of {ORG} [last year|in "
    "{YEAR2}], minutes show.",
    "[Traders|Shopkeepers|Business owners] on {STREET} said they had seen a [drop|fall] in "
    "[trade|takings] of up to {PCT} percent.",
    "[Union representatives|Staff|Tenant groups] said they had not been consulted before "
    "the {EVENT} was [announced|made public] on {DAY}.",
    "{ORG2} has set aside {MONEY2} to [deal with|cover] the [consequences|costs], its "
    "[annual report|latest accounts] [shows|show].",
    "{P1L} rejected the criticism, saying the {EVENT} had been debated [in public|openly] for "
    "{N3} months.",
    "The latest [figures|numbers], [published|released] on {DAY}, put the number at {COUNT}, "
    "[up|down] {PCT} percent.",
    "[Officials|{P1L}] [expect|expects] a decision from {ORG2} within {N3} weeks.",
    "{P3L}, {N4}, said she first heard about the {EVENT} from a [neighbour|friend|local "
    "newsletter] in {MONTH}.",
    "A similar row [erupted|broke out] in {CITY} in {YEAR}, when {ORG2} faced "
    "[protests|a backlash] over {ISSUE}.",
    "The {EVENT} has divided opinion in {TOWN}, where [many|some] families have lived for "
    "[generations|decades].",
    "Campaigners plan a [march|rally|protest] through {TOWN} on {DAY2} and say {N4} "
    "[groups|organisations] have signed up.",
    "{ORG} said it had received {COUNT} [emails|letters] and {N4} formal complaints.",
    "Neither {P1L} nor {P2L} would say when the {EVENT} would be put to a [vote|ballot|"
    "final decision].",
    "The money comes from a {MONEY2} fund set up by {ORG2} in {YEAR}.",
    "Some {PEOPLE} in {TOWN2} say they were never told about the {EVENT}.",
]
UNDER = ["under discussion", "in the works", "on hold", "under review", "in preparation"]
PEOPLE = ["residents", "households", "families", "workers", "patients", "pupils", "customers"]

LEAD_TEMPLATES = [
    "{P1}, {P1R}, on {DAY} {LEADVERB} a {EVENT} for {TOWN}, saying {QCLAIM}, {LEADTAIL}.",
    "{ORG} has {LEADVERB2} a {EVENT} in {TOWN} after {ISSUE} {LEADREASON}, {P1L} said on {DAY}.",
    "A {EVENT} in {TOWN} was {LEADPASSIVE} on {DAY} amid warnings that {QCLAIM}, {ATTRIB_CLAUSE}.",
    "{LEADWHO} in {TOWN} warned on {DAY} that {QCLAIM} unless the {EVENT} is changed, {LEADTAIL}.",
    "The {EVENT} in {TOWN} that {ORG} {LEADVERB} on {DAY} {QCLAIM2}, according to {P2}, {P2R}.",
]
LEADVERB = ["announced", "defended", "unveiled", "confirmed", "backed", "criticised"]
LEADVERB2 = ["paused", "approved", "launched", "rejected", "postponed", "revived"]
LEADREASON = [
    "raised alarm among residents",
    "dominated a heated meeting",
    "drew hundreds of complaints",
    "was flagged in an official report",
    "became a campaign issue",
]
LEADPASSIVE = ["approved", "put on hold", "announced", "cleared", "blocked"]
LEADWHO = ["Officials", "Residents", "Campaigners", "Councillors", "Business leaders"]
LEADTAIL = [
    "setting up a clash with {ORG2}",
    "despite objections from {ORG2}",
    "weeks after {ISSUE} came to a head",
    "in a move welcomed by {ORG2}",
    "ending months of uncertainty in {TOWN}",
    "a step opponents vowed to fight",
]
ATTRIB_CLAUSE = [
    "officials in {TOWN} said",
    "according to documents seen by {OUTLET}",
    "{ORG} confirmed",
    "a spokesperson for {ORG} said",
]

OUTLET_A = _words(
    """Courier Herald Gazette Chronicle Post Observer Echo Express Mercury Advertiser Examiner
Standard Tribune Journal Sentinel Telegraph Record Bulletin Star Times"""
)


@dataclass
class Cast:
    """The named people, places and organisations of one story."""

    topic: str
    town: str
    town2: str
    city: str
    region: str
    org: str
    org2: str
    people: list[tuple[str, str, str]]  # (full name, last name, role)
    outlet: str
    year: int
    slots: dict[str, str] = field(default_factory=dict)


class Prose:
    """Draws names, places, organisations and stories from a seeded ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # --- atoms --------------------------------------------------------------------------------
    def pick(self, items: list[str]) -> str:
        return items[self.rng.randrange(len(items))]

    def person(self) -> tuple[str, str]:
        last = self.pick(LAST)
        return f"{self.pick(FIRST)} {last}", last

    def town(self) -> str:
        return self.pick(TOWN_A) + self.pick(TOWN_B)

    def org(self, town: str) -> str:
        pattern = self.pick(ORG_PATTERNS)
        name = pattern.format(
            TOWN=town,
            ORGNOUN=self.pick(ORGNOUN),
            ADJ=self.pick(ADJ),
            FIELD=self.pick(FIELD),
            GROUPNOUN=self.pick(GROUPNOUN),
            LAST=self.pick(LAST),
            LAST2=self.pick(LAST),
            FIRMNOUN=self.pick(FIRMNOUN),
        )
        return name

    def outlet(self, town: str | None = None) -> str:
        return f"The {town or self.town()} {self.pick(OUTLET_A)}"

    def money(self) -> str:
        r = self.rng.random()
        cur = self.pick(["$", "£", "€"])
        if r < 0.4:
            return f"{cur}{self.rng.randint(2, 950)} million"
        if r < 0.6:
            return f"{cur}{self.rng.randint(1, 40)}.{self.rng.randint(1, 9)} billion"
        return f"{cur}{self.rng.randint(12, 990) * 1000:,}"

    def cast(self, topic: str | None = None, town: str | None = None) -> Cast:
        rng = self.rng
        topic = topic or self.pick(sorted(TOPICS))
        town = town or self.town()
        town2 = self.town()
        while town2 == town:
            town2 = self.town()
        org, org2 = self.org(town), self.org(town2)
        people = []
        for k in range(3):
            full, last = self.person()
            role = self.pick(ROLES_GENERIC).format(ORG=org if k == 0 else org2)
            people.append((full, last, role))
        year = rng.randint(2009, 2022)
        cast = Cast(
            topic=topic,
            town=town,
            town2=town2,
            city=self.pick(CITIES).replace("-", " "),
            region=f"{self.town()} {self.pick(REGIONS)}",
            org=org,
            org2=org2,
            people=people,
            outlet=self.outlet(),
            year=year,
        )
        cast.slots = self._slots(cast)
        return cast

    def _slots(self, c: Cast) -> dict[str, str]:
        rng = self.rng
        lex = TOPICS[c.topic]
        (p1, p1l, p1r), (p2, p2l, p2r), (p3, p3l, p3r) = c.people
        return {
            "P1": p1,
            "P1L": p1l,
            "P1R": p1r,
            "P2": p2,
            "P2L": p2l,
            "P2R": p2r,
            "P3": p3,
            "P3L": p3l,
            "P3R": p3r,
            "ORG": c.org,
            "ORG2": c.org2,
            "TOWN": c.town,
            "TOWN2": c.town2,
            "CITY": c.city,
            "REGION": c.region,
            "OUTLET": c.outlet,
            "YEAR": str(c.year),
            "YEAR2": str(c.year + rng.randint(1, 4)),
            "EVENT": self.pick(lex["event"]),
            "THING": self.pick(lex["thing"]),
            "ISSUE": self.pick(lex["issue"]),
            "MONEY": self.money(),
            "MONEY2": self.money(),
            "DAY2": self.pick(WEEKDAYS),
        }

    def fill(self, template: str, c: Cast, cap: bool = True) -> str:
        rng = self.rng
        template = self.vary(_ALT.sub(lambda m: self.pick(m.group(1).split("|")), template))
        s = c.slots
        lex = TOPICS[c.topic]
        dynamic = {
            "DAY": self.pick(WEEKDAYS),
            "MONTH": self.pick(MONTHS),
            "N1": str(rng.randint(12, 480)),
            "N1S": str(rng.randint(0, 5)),
            "N2": str(rng.randint(2, 19)),
            "N3": str(rng.randint(2, 14)),
            "N4": str(rng.randint(18, 79)),
            "MIN": f"{rng.randint(0, 59):02d}",
            "HOUR": str(rng.randint(0, 23)),
            "PCT": str(rng.randint(3, 64)),
            "PCT2": str(rng.randint(3, 95)),
            "COUNT": f"{rng.randint(120, 48000):,}",
            "REF": f"{rng.randint(10, 99)}/{rng.randint(100000, 999999)}/{rng.randint(20, 25)}",
            "STREET": f"{self.pick(STREET_A)} {self.pick(STREET_B)}",
            "UNDER": self.pick(UNDER),
            "PEOPLE": self.pick(PEOPLE),
            "THING2": self.pick(lex["thing"]),
            "QCLAIM": self.claim(c, third_person=True),
            "QCLAIM2": self.claim(c, third_person=True, bare=True),
        }
        out = template
        for _ in range(3):  # slots may expand to text holding slots
            if "{" not in out:
                break
            out = out.format_map(_Slots({**s, **dynamic}))
        out = _ARTICLE.sub(r"\1n \2", out)
        return out[0].upper() + out[1:] if cap else out

    def claim(self, c: Cast, third_person: bool = False, bare: bool = False) -> str:
        lex = TOPICS[c.topic]
        modal = self.pick(MODALS)
        obj = self.pick(lex["object"]).replace("{N1}", str(self.rng.randint(12, 480)))
        if bare:
            return f"{modal} {self.pick(lex['verb'])} {obj}"
        return f"{self.pick(lex['subject'])} {modal} {self.pick(lex['verb'])} {obj}"

    def opener(self, c: Cast) -> str:
        rng = self.rng
        form = rng.randrange(7)
        if form == 0:
            subj = self.pick(OP_SUBJ).format(ORG=c.org.removeprefix("the "))
            when = self.pick(OP_TIME).format(
                YEAR=c.year, N=rng.randint(2, 12), MONTH=self.pick(MONTHS)
            )
            return f"{subj} {self.pick(OP_SAY)} {when} that"
        if form == 1:
            return f"{self.pick(OP_FEEL)} that"
        if form == 2:
            return f"{self.pick(OP_EVID).format(MONTH=self.pick(MONTHS), TOWN=c.town)} that"
        if form == 3:
            return self.pick(OP_SHORT)
        if form == 4 and rng.random() < 0.4:
            return self.vary(self.pick(OPENERS))
        return ""

    def tail(self, c: Cast) -> str:
        if self.rng.random() < 0.45:
            return ""
        return " " + self.pick(TAIL_PARTS).format(
            MONTH=self.pick(MONTHS),
            YEAR2=c.year + self.rng.randint(2, 9),
            ORG=c.org2,
            TOWN=c.town,
            N=self.rng.randint(2, 18),
            REGION=c.region,
        )

    def quote(self, c: Cast) -> str:
        text = f"{self.opener(c)} {self.claim(c)}{self.tail(c)}".strip()
        text = text[0].upper() + text[1:]
        if self.rng.random() < 0.35:
            more = f"{self.opener(c)} {self.claim(c)}".strip()
            text += ". " + more[0].upper() + more[1:]
        return text

    def vary(self, text: str) -> str:
        """Swap fixed phrases for interchangeable ones, each occurrence on its own."""

        def swap(m: re.Match[str]) -> str:
            word = m.group(0)
            alt = self.pick(_VARIANT_OF[word.lower()])
            return alt[0].upper() + alt[1:] if word[0].isupper() else alt

        return _VARY.sub(swap, text)

    def quote_sentence(self, c: Cast, who: int | None = None) -> str:
        who = self.rng.randrange(3) if who is None else who
        full, last, role = c.people[who]
        attrib = self.vary(self.pick(ATTRIB)).format_map(
            _Slots({"DAY": self.pick(WEEKDAYS), "OUTLET": c.outlet})
        )
        q = self.quote(c)
        form = self.rng.randrange(4)
        if form == 0:
            return f'"{q}," {full}, {role}, {attrib}.'
        if form == 1:
            return f'{full}, {role}, {attrib}: "{q}."'
        if form == 2:
            return f'"{q}," {last} {attrib}.'
        return f"{last} {attrib} that {self.claim(c, third_person=True)}."

    # --- story ------------------------------------------------------------------------------
    def headline(self, c: Cast) -> str:
        return self.fill(self.pick(TOPICS[c.topic]["headline"]), c)

    def lead(self, c: Cast) -> str:
        s = self.fill(self.pick(LEAD_TEMPLATES), c)
        s = s.format_map(
            _Slots(
                {
                    "LEADVERB": self.pick(LEADVERB),
                    "LEADVERB2": self.pick(LEADVERB2),
                    "LEADREASON": self.pick(LEADREASON),
                    "LEADPASSIVE": self.pick(LEADPASSIVE),
                    "LEADWHO": self.pick(LEADWHO),
                    "LEADTAIL": self.fill(self.pick(LEADTAIL), c, cap=False),
                    "ATTRIB_CLAUSE": self.fill(self.pick(ATTRIB_CLAUSE), c, cap=False),
                }
            )
        )
        return s

    def body_sentence(self, c: Cast, used: set[str]) -> str:
        r = self.rng.random()
        if r < 0.35:
            return self.quote_sentence(c)
        pool = TOPICS[c.topic]["sentence"] if r < 0.55 else GENERIC_BODY
        fresh = [t for t in pool if t not in used]
        if not fresh:
            return self.quote_sentence(c)
        template = self.pick(fresh)
        used.add(template)
        return self.fill(template, c)

    def paragraphs(self, c: Cast, words: int) -> list[str]:
        """A lead paragraph, then paragraphs of one to three sentences until ``words``."""
        rng = self.rng
        used: set[str] = set()
        paras = [self.lead(c)]
        second = self.body_sentence(c, used)
        if rng.random() < 0.5:
            second += " " + self.body_sentence(c, used)
        paras.append(second)
        paras.append(self.quote_sentence(c, who=0))
        count = sum(len(p.split()) for p in paras)
        while count < words:
            n = rng.choice([1, 1, 2, 2, 3])
            para = " ".join(self.body_sentence(c, used) for _ in range(n))
            if count >= 300 and count + len(para.split()) > MAX_WORDS:
                break
            paras.append(para)
            count += len(para.split())
        return paras

    def byline(self, c: Cast) -> str:
        full, _ = self.person()
        form = self.rng.randrange(4)
        if form == 0:
            return f"By {full}"
        if form == 1:
            return f"By {full}, {self.pick(['Staff Writer', 'Reporter', 'Correspondent'])}"
        if form == 2:
            return f"{full} | {self.pick(['Local News', 'Business Desk', 'News Team'])}"
        return f"By {full} and {self.person()[0]}"


OP_SUBJ = [
    "We",
    "I",
    "Our members",
    "My colleagues and I",
    "The families we represent",
    "Everyone at {ORG}",
    "Our team",
    "People here",
    "The union",
    "Local businesses",
]
OP_SAY = [
    "have said",
    "have been clear",
    "have argued",
    "have warned",
    "have made the point",
    "have told ministers",
    "keep telling anyone who listens",
    "have insisted",
    "have pointed out",
]
OP_TIME = [
    "from the start",
    "for months",
    "since {YEAR}",
    "at every meeting",
    "again and again",
    "for {N} years",
    "all along",
    "since {MONTH}",
    "in writing",
    "publicly",
    "repeatedly",
]
OP_FEEL = [
    "I am deeply concerned",
    "I am pleased",
    "We are disappointed",
    "I am not convinced",
    "We are delighted",
    "I remain worried",
    "We are confident",
    "I was surprised to learn",
    "We are frustrated",
    "I am certain",
    "I fear",
    "We strongly believe",
    "It is obvious",
    "Nobody can deny",
]
OP_EVID = [
    "The evidence shows",
    "Our own survey found",
    "The data from {MONTH} shows",
    "Every study we have seen says",
    "The latest report makes clear",
    "The consultation told us",
    "Last year's audit found",
    "What we hear in {TOWN} is",
    "The numbers from {MONTH} suggest",
]
OP_SHORT = [
    "Frankly,",
    "Honestly,",
    "In the end,",
    "Put simply,",
    "To be honest,",
    "Clearly,",
    "Sadly,",
    "Fortunately,",
    "As things stand,",
    "Right now,",
    "Realistically,",
    "Look,",
    "Of course",
]
TAIL_PARTS = [
    "for years to come",
    "before the end of {MONTH}",
    "by {YEAR2}",
    "if nothing changes",
    "unless {ORG} acts",
    "across {TOWN}",
    "for families in {TOWN}",
    "in the next {N} months",
    "over the winter",
    "this summer",
    "whatever {ORG} says",
    "within {N} weeks",
    "across the {REGION}",
]
VARIANTS = [
    ["said", "added", "noted", "stressed", "explained", "insisted"],
    ["more than", "over", "upwards of", "in excess of"],
    ["last year", "over the past year", "in the last twelve months"],
    ["residents", "locals", "householders", "people living nearby", "neighbours"],
    ["officials", "authorities", "council officers", "administrators"],
    ["percent", "per cent"],
    ["announced", "unveiled", "revealed", "set out"],
    ["expected to", "due to", "set to", "likely to"],
    ["critics", "opponents", "sceptics", "detractors"],
    ["the decision", "the move", "the ruling", "the vote"],
    ["plans", "proposals"],
    ["published", "released", "issued", "made public"],
    ["figures", "numbers", "statistics"],
    ["complaints", "objections", "grievances"],
    ["signatures", "names", "backers"],
    ["spokesperson", "spokesman", "spokeswoman", "press officer", "representative"],
    ["declined to comment", "would not comment", "refused to comment", "did not comment"],
    ["continuing", "ongoing", "under way"],
    ["worried", "concerned", "anxious", "uneasy"],
    ["town hall", "civic centre", "community hall"],
    ["the end of", "the close of", "late"],
    ["rose", "climbed", "increased", "grew"],
    ["fell", "dropped", "declined"],
    ["up from", "compared with", "against"],
    ["a similar", "a comparable", "a related"],
    ["will be", "is to be", "is set to be"],
    ["warned", "cautioned"],
    ["the company", "the firm", "the group", "the business"],
    ["in a statement", "in a written statement", "in a press release", "in an email"],
    ["news conference", "press conference", "press briefing"],
    ["in an interview", "in a phone interview", "in a radio interview"],
    ["on social media", "on X", "on Facebook", "in a post online"],
    ["told reporters", "told journalists", "told the press"],
    ["the meeting", "the session", "the hearing"],
    ["families", "households"],
    ["the town centre", "the centre of town", "downtown"],
    ["since", "ever since"],
    ["public meetings", "public sessions", "open meetings", "drop-in events"],
    ["consultation", "public consultation", "survey"],
    ["accused", "criticised"],
    ["according to", "citing"],
    ["reviewed again", "looked at again", "revisited"],
    ["the latest", "the most recent", "the newest"],
    ["not the first time", "hardly the first time", "not the first occasion"],
    ["local", "area", "nearby"],
    ["contacted", "approached", "asked"],
    ["lessons had been learned", "lessons had been learnt", "mistakes would not be repeated"],
    ["rejected the criticism", "dismissed the criticism", "brushed off the criticism"],
    ["has divided opinion", "has split opinion", "has divided people"],
    ["have now", "have so far", "have by now"],
    ["was awarded to", "went to", "was given to"],
    ["the highest level", "the highest reading", "the worst level"],
    ["employs", "has a workforce of", "provides work for"],
    ["affected", "hit", "touched"],
]
_VARIANT_OF = {group[0]: group for group in VARIANTS}
_VARY = re.compile(
    r"(?<![{\w])("
    + "|".join(re.escape(v) for v in sorted(_VARIANT_OF, key=len, reverse=True))
    + r")(?![\w}])",
    re.IGNORECASE,
)
_ALT = re.compile(r"\[([^\[\]]*)\]")
_ARTICLE = re.compile(r"\b([Aa]) ([aeiouAEIOU])")


class _Slots(dict):
    """``str.format_map`` mapping that leaves unknown slots in place for a later pass."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
