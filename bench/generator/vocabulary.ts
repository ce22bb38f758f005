/*
 * The words the synthetic archive is made of: foreign ministries that brief weekly, their
 * spokespersons, the outlets that ask, the topics they talk about and the phrases they use.
 * Modelled on shared/samples/fo-briefing-ttp.txt; nothing here is a real transcript.
 */

export interface Organisation {
  readonly country: string;
  /** How the country is named in a sentence ("the United States"). */
  readonly inText: string;
  readonly organization: string;
  readonly location: string;
}

function ministry(country: string, location: string, inText = country): Organisation {
  return { country, inText, organization: `Ministry of Foreign Affairs of ${inText}`, location };
}

export const ORGANISATIONS: readonly Organisation[] = [
  ministry('Pakistan', 'Islamabad'),
  ministry('China', 'Beijing'),
  ministry('India', 'New Delhi'),
  ministry('Afghanistan', 'Kabul'),
  ministry('Iran', 'Tehran'),
  ministry('Turkey', 'Ankara'),
  ministry('Russia', 'Moscow'),
  ministry('Japan', 'Tokyo'),
  ministry('South Korea', 'Seoul'),
  ministry('Indonesia', 'Jakarta'),
  ministry('Malaysia', 'Putrajaya'),
  ministry('Bangladesh', 'Dhaka'),
  ministry('Sri Lanka', 'Colombo'),
  ministry('Nepal', 'Kathmandu'),
  ministry('Egypt', 'Cairo'),
  ministry('Saudi Arabia', 'Riyadh'),
  ministry('United Arab Emirates', 'Abu Dhabi', 'the United Arab Emirates'),
  ministry('Qatar', 'Doha'),
  ministry('Jordan', 'Amman'),
  ministry('Morocco', 'Rabat'),
  ministry('Algeria', 'Algiers'),
  ministry('Nigeria', 'Abuja'),
  ministry('Kenya', 'Nairobi'),
  ministry('Ethiopia', 'Addis Ababa'),
  ministry('South Africa', 'Pretoria'),
  ministry('Brazil', 'Brasilia'),
  ministry('Argentina', 'Buenos Aires'),
  ministry('Mexico', 'Mexico City'),
  ministry('Canada', 'Ottawa'),
  ministry('United States', 'Washington', 'the United States'),
  ministry('United Kingdom', 'London', 'the United Kingdom'),
  ministry('France', 'Paris'),
  ministry('Germany', 'Berlin'),
  ministry('Italy', 'Rome'),
  ministry('Spain', 'Madrid'),
  ministry('Poland', 'Warsaw'),
  ministry('Ukraine', 'Kyiv'),
  ministry('Kazakhstan', 'Astana'),
  ministry('Uzbekistan', 'Tashkent'),
  ministry('Australia', 'Canberra'),
];

export const FIRST_NAMES: readonly string[] = [
  'Mumtaz', 'Zahra', 'Asim', 'Ayesha', 'Wang', 'Mao', 'Lin', 'Arindam', 'Randhir', 'Anurag', 'Nasser', 'Hamid',
  'Zabihullah', 'Hikmet', 'Tanju', 'Maria', 'Alexander', 'Hikariko', 'Yoshimasa', 'Lim', 'Teuku', 'Faizasyah',
  'Seheli', 'Nilanthi', 'Sewa', 'Ahmed', 'Abu', 'Majed', 'Sufyan', 'Ismail', 'Kimiko', 'Ferdinand', 'Ngozi',
  'Alfred', 'Meles', 'Clayson', 'Eduardo', 'Lucia', 'Roberto', 'Matthew', 'Ned', 'Anne-Claire', 'Christophe',
  'Sebastian', 'Andrea', 'Pawel', 'Oleg', 'Aibek', 'Ziyoda', 'Penny', 'Grace', 'Samuel', 'Farah', 'Omar', 'Leila',
  'Tariq', 'Sadia', 'Imran', 'Daniel', 'Sofia', 'Chen', 'Park', 'Rahul', 'Nadia', 'Karim', 'Elena', 'Jonas',
];

export const LAST_NAMES: readonly string[] = [
  'Baloch', 'Khan', 'Iftikhar', 'Chaudhri', 'Wenbin', 'Ning', 'Jian', 'Bagchi', 'Jaiswal', 'Srivastava', 'Kanaani',
  'Karzai', 'Mujahid', 'Bilgic', 'Keceli', 'Zakharova', 'Lukashevich', 'Ono', 'Hayashi', 'Jae-woong', 'Nasir',
  'Sabrin', 'Dunuwila', 'Lamsal', 'Abu Zeid', 'Al-Ansari', 'Qudah', 'Bourita', 'Mutua', 'Onyeama', 'Tadesse',
  'Monyela', 'Saboia', 'Ortega', 'Ramirez', 'Miller', 'Price', 'Legendre', 'Lemoine', 'Fischer', 'Burger',
  'Rossi', 'Wronski', 'Nikolenko', 'Smadiyarov', 'Karimova', 'Wong', 'Hughes', 'Okafor', 'Haddad', 'Rahman',
  'Siddiqui', 'Qureshi', 'Hussain', 'Morel', 'Novak', 'Kowalski', 'Tanaka', 'Suzuki', 'Yilmaz', 'Demir', 'Santos',
];

export const OUTLETS: readonly string[] = [
  'Dawn', 'The News', 'Express Tribune', 'Geo News', 'ARY News', 'APP', 'Reuters', 'AFP', 'Associated Press',
  'Bloomberg', 'Xinhua', 'CGTN', 'Global Times', 'The Hindu', 'Press Trust of India', 'NHK', 'Kyodo', 'Yonhap',
  'Anadolu Agency', 'TASS', 'RIA Novosti', 'IRNA', 'Al Jazeera', 'Al Arabiya', 'BBC', 'BBC Urdu', 'Deutsche Welle',
  'France 24', 'The Guardian', 'Financial Times', 'The Wall Street Journal', 'The New York Times', 'Nikkei Asia',
  'South China Morning Post', 'The Diplomat', 'Gulf News', 'Arab News', 'Daily Times', 'The Nation', 'Business Recorder',
];

/** Issues, most talked about first: the order is the topics' Zipf rank, before the countries. */
const ISSUES: readonly string[] = [
  'bilateral-relations', 'counter-terrorism', 'afghanistan', 'trade', 'regional-security', 'kashmir', 'ttp',
  'climate-change', 'economic-cooperation', 'united-nations', 'human-rights', 'refugees', 'visa-policy',
  'energy', 'cpec', 'gaza', 'ukraine-war', 'nuclear-nonproliferation', 'sanctions', 'border-management',
  'diaspora', 'investment', 'fatf', 'sco', 'brics', 'g20', 'oic', 'asean', 'saarc', 'water-treaty',
  'maritime-security', 'cyber-security', 'disinformation', 'hajj', 'consular-affairs', 'repatriation',
  'peacekeeping', 'humanitarian-aid', 'earthquake-relief', 'floods', 'food-security', 'debt-relief', 'imf',
  'world-bank', 'public-health', 'polio', 'covid-19', 'education', 'cultural-exchange', 'tourism',
  'sports-diplomacy', 'space-cooperation', 'arms-control', 'drone-strikes', 'ceasefire', 'peace-talks',
  'elections', 'religious-freedom', 'islamophobia', 'minority-rights', 'extradition', 'money-laundering',
  'narcotics', 'human-trafficking', 'migration', 'students-abroad', 'detained-nationals', 'prisoner-exchange',
  'airspace', 'shipping', 'ports', 'railways', 'gas-pipeline', 'electricity-imports', 'oil-prices', 'wheat',
  'textiles', 'free-trade-agreement', 'tariffs', 'market-access', 'digital-economy', 'artificial-intelligence',
  'semiconductors', 'critical-minerals', 'green-hydrogen', 'cop28', 'cop29', 'glaciers', 'monsoon',
  'un-security-council', 'un-general-assembly', 'icj', 'icc', 'wto', 'nato', 'european-union',
  'african-union', 'gulf-cooperation-council', 'quad', 'aukus', 'belt-and-road', 'indian-ocean',
  'south-china-sea', 'taiwan', 'korean-peninsula', 'red-sea', 'strait-of-hormuz', 'syria', 'yemen', 'sudan',
  'libya', 'myanmar', 'rohingya', 'uyghurs', 'tibet', 'line-of-control', 'durand-line', 'torkham',
  'chaman', 'wakhan-corridor', 'balochistan', 'khyber-pakhtunkhwa', 'gilgit-baltistan',
];

/** Countries as topics, after the issues in rank. */
const COUNTRY_TOPICS: readonly string[] = ORGANISATIONS.map((org) => slug(org.country));

export const TOPICS: readonly string[] = [...new Set([...ISSUES, ...COUNTRY_TOPICS])];

const COUNTRY_IN_TEXT = new Map(ORGANISATIONS.map((org) => [slug(org.country), org.inText]));
const ACRONYMS_WITH_ARTICLE = new Set(['ttp', 'imf', 'wto', 'nato', 'icj', 'icc', 'sco', 'oic']);
const ACRONYMS = new Set(['g20', 'brics', 'asean', 'saarc', 'cpec', 'fatf', 'quad', 'aukus', 'cop28', 'cop29']);

/** Words for a topic in running text: `climate-change` is "climate change", `ttp` is "the TTP". */
export function topicInText(topic: string): string {
  if (ACRONYMS_WITH_ARTICLE.has(topic)) return `the ${topic.toUpperCase()}`;
  if (ACRONYMS.has(topic)) return topic.toUpperCase();
  return COUNTRY_IN_TEXT.get(topic) ?? topic.replace(/-/g, ' ');
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export const SUBJECTS: readonly string[] = [
  '{Country}', 'The Government of {country}', 'The Foreign Office', 'The Ministry', 'Our delegation', 'The Prime Minister',
  'The Foreign Minister', 'The Foreign Secretary', 'Our mission in {City}', 'The international community', '{Country}',
  'The Cabinet', 'The spokesperson', 'The Security Council', 'Our Ambassador in {City}', '{Country}',
  'The President', 'The joint working group', 'The Deputy Prime Minister',
];

export const VERBS: readonly string[] = [
  'reaffirms its commitment to', 'has expressed deep concern over', 'strongly condemns', 'welcomes', 'remains committed to',
  'has taken note of', 'rejects', 'calls for progress on', 'is closely monitoring', 'will continue to support',
  'has conveyed its position on', 'looks forward to further talks on', 'categorically denies the reports on',
  'has raised', 'attaches great importance to', 'discussed', 'reviewed the progress on', 'emphasised the need to address',
  'agreed to deepen cooperation on', 'will not accept any unilateral change regarding', 'expressed solidarity on',
  'appreciated the constructive role of all parties in', 'underlined the urgency of', 'has no plans to revisit',
];

export const OBJECTS: readonly string[] = [
  'the situation regarding {topic}', '{topic}', 'recent developments on {topic}', 'dialogue on {topic}',
  'the joint statement on {topic}', 'cooperation in the field of {topic}', 'the reports about {topic}',
  'the question of {topic}', 'the agreement on {topic}', 'all matters related to {topic}',
  'the concerns of the people on {topic}', 'the roadmap on {topic}', 'the understanding reached on {topic}',
  'the resolution on {topic}', 'the sanctuaries used by terrorist groups', 'the safety of our nationals',
  'the sovereignty and territorial integrity of states', 'the repatriation of illegal foreigners',
  'the multifaceted partnership with {country}', 'the humanitarian situation', 'regional connectivity',
];

export const TAILS: readonly string[] = [
  '', '', '', ' in accordance with international law', ' at the earliest', ' through peaceful means',
  ' in the interest of regional peace and stability', ' on the basis of mutual respect and sovereign equality',
  ' during the visit of the Foreign Minister to {City}', ' as agreed during the last round of talks',
  ' on {date}', ' with the relevant authorities', ' in line with the resolutions of the United Nations',
  ' at the meeting held in {City} on {date}', ' without any further delay', ', as stated before',
  ' and non-interference in each other\'s internal affairs', ' in close consultation with {country}',
];

export const QUESTIONS: readonly string[] = [
  'What is the position of the Foreign Office on {topic}?',
  'Could you comment on the reports regarding {topic}?',
  'Has {country} been in contact with {country2} about {topic}?',
  'Is there any update on {topic} since last week?',
  'There are reports that talks on {topic} have stalled. What is your response?',
  'Will the Foreign Minister raise {topic} during the visit to {City}?',
  'What steps is the government taking on {topic}?',
  'How do you respond to the statement made in {City} on {topic}?',
  'Can you confirm that a delegation from {country2} will visit to discuss {topic}?',
  'Does the ministry plan to summon the envoy of {country2} over {topic}?',
];

export const PREAMBLES: readonly string[] = [
  'A follow-up on the earlier question.',
  'My question relates to the meeting held yesterday.',
  'Last week you said that the matter was under discussion.',
  'According to media reports, officials met in {City} on {date}.',
  'Thank you for taking my question.',
];

export const CORRECTION_REASONS: readonly string[] = [
  'Checked against the recording',
  'Transcription error',
  'Clarified by the ministry',
  'The spokesperson misspoke; corrected at the next briefing',
  'A name was misspelt',
  'Wrong date given in the original',
];

export const RETRACTION_REASONS: readonly string[] = [
  'Withdrawn by the ministry',
  'Attributed to the wrong speaker',
  'Recorded twice by mistake',
  'Not said at the briefing',
];

export const CLARIFICATIONS: readonly string[] = [
  'To clarify, this refers to the talks held in {City}.',
  'The correct date is {date}.',
  'The statement concerned {topic} only.',
  'This was said in response to a question on {topic}.',
];

export const MONTHS: readonly string[] = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];
