import { PorterStemmerRu } from '../text/russian-stemmer';
import { normalizeForMatching, words } from '../text/normalize';

/** Why a text has nothing an organization could act on. */
export type NoContentKind = 'empty' | 'request-number' | 'gratitude' | 'greeting' | 'waiting' | 'noise';

export const NO_CONTENT_TITLES: Record<NoContentKind, string> = {
  empty: 'только цифры, знаки или эмодзи',
  'request-number': 'только номер обращения',
  gratitude: 'благодарность',
  greeting: 'приветствие',
  waiting: 'вопрос о сроках или жалоба на молчание, без предмета',
  noise: 'текст без предмета',
};

// Words that name no problem: politeness, the appeal itself, waiting and silence, time, vague
// verbs and outbursts. A beginning (four letters or more: forms and typos share it) or a whole
// word; short words are listed whole, a short beginning would swallow «тепло» or «канализация».
// A text made of these only (and numbers, emoji, place names) says nothing to act on.
interface Lexicon {
  prefixes: readonly string[];
  words: ReadonlySet<string>;
}

const lexicon = (prefixes: string, whole: string): Lexicon => ({
  prefixes: prefixes.split(/\s+/).filter(Boolean),
  words: new Set(whole.split(/\s+/).filter(Boolean)),
});

const GRATITUDE = lexicon('спасиб благодар признател', 'спс мерси');
const GREETING = lexicon(
  'здравств здраств здрасьт здрасте привет уважаем',
  'добрый доброе доброго добрая доброй вечер вечера утро утра ночи день всего хорошего свидания',
);
const APPEAL = lexicon('обращен обращаю обращаем обратил обращал заявк заявлен жалоб жалую письм запрос номер сообщ регистрац', '№ n no');
const WAITING = lexicon(
  'ожида подожд дожд ответ отвеча молча молчат молчит тишин реакц реагир отреагир игнор проигнор бездейств обеща почин отремонт ремонт исправ устран реши решат решен ' +
    'приня примите примут разобр разбер помог помоч помощ выясн провер рассмотр результат статус информац сведен подскаж скажит объясн узнат происход твори случил ' +
    'законч прекрат займит займет возьмит заним повтор контрол срок месяц недел минут сегодн звон дозвон написа писал',
  'ждем ждём ждать жду ждали ждут ждите сколько долго давно наконец скоро вчера завтра сегодня день дня дней днем неделю недели недель неделя год года лет час часа часов ' +
    'когда будет будут делать делают делаете сделать сделают сделали сделано делается дела дело пишу пишем',
);
const NOISE = lexicon(
  'безобраз ужас позор беспредел бардак кошмар надоел достал издеват терпен возмущ хамств смотр чиновник администрац депутат губернатор ситуац проблем вопрос ' +
    'комментар репост подписчик модератор паблик внимани услыш пожал срочн неужел хаха ахах тест больш огромн оперативн получ ускор прошл измен невозможн ' +
    'новост кажд актуал забыл забыв терп админ подписыва',
  'а и в во на с со к ко у о об обо от до за из по но да нет не ни я мы вы он она оно они ты его ее её их им ими нас вас нам вам мне меня тебя себя себе ' +
    'свой свои своих наш наша наше наши нашего нашей нашим ваш ваша ваше ваши вашего это этот эта эти этого этой этом этим того тот та те тем том то так там тут ' +
    'здесь сюда туда куда где тогда кто что чем чего чему как какой какая какие каких который которая которые уже еще ещё вот ну же ли бы ведь даже лишь только ' +
    'хоть хотя или либо если чтобы чтоб тоже также при для без через под над про после перед около ради всё все всем всех весь вся вообще опять снова сейчас ' +
    'теперь пока раз итог итоге очень просто почему зачем доколе разве ага ого ок ok okay ха лол lol sos сос help г гг ул р-н п д тд тп др был была было были ' +
    'быть есть буду будем станет стало стал могу можно может могут можете мог могли нужно надо хочу хотим хотелось хотел хотели никто никак ничего ничто нечего ' +
    'некому сих пор тема темы случай знает знаете знаю знать известно слышите видите люди людей жители жителей граждане народ город города городе район района ' +
    'районе области регион власти власть мэр глава главе прошу просим просьба просьбу просьбой кто-нибудь кто-то что-то что-нибудь когда-нибудь хотелось бы ' +
    'мой моя моё мое моего моей моих мои моим никакой никакого никакая никаких какая-то какой-то какие-то дать дайте дали меры мер прошел прошёл снят снято ' +
    'взять возьмите один одна одно два две три четыре пять шесть семь восемь девять десять двадцать тридцать сто первый первого первую второй второго вторую ' +
    'третий третьего третью четвертый пятый пятую десятый самое самый то-то летом зимой весной осенью жесть капец жуть треш живой живые толк толку ноль ' +
    'берет берёт берут трубку трубки точно согласен согласна согласны поддерживаю поддерживаем плюсую аналогично слово словом поднимаю тему up начнут начнется ' +
    'начнётся меняется',
);

const inLexicon = (word: string, l: Lexicon): boolean => l.words.has(word) || l.prefixes.some((p) => word.startsWith(p));

const VOWELS = /[аеиоуыэюяaeiouy]/;
const KEYBOARD = ['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/**
 * Tells a text with nothing an organization could act on — thanks, greetings, complaints about
 * silence or waiting with nothing named («Когда починят?»), a request number, noise, numbers or
 * emoji only — from one that names a problem. Such a text goes to a person whatever a classifier
 * scores: its top category is a guess. Pure and deterministic; `placeNames` (the region's
 * territories and their case forms) also name no problem by themselves.
 */
export class ContentFreeDetector {
  private readonly places: Set<string>;

  constructor(placeNames: readonly string[] = []) {
    this.places = new Set(placeNames.flatMap((name) => words(name)).map(stem));
  }

  /** The kind of content-free text, or undefined when the text names something. */
  detect(text: string): NoContentKind | undefined {
    if (text.length > HEAD && this.namesSomethingEarly(text.slice(0, HEAD))) return undefined;
    const found = words(text);
    let gratitude = false;
    let greeting = false;
    let appeal = false;
    let waiting = false;
    for (const word of found) {
      if (inLexicon(word, GRATITUDE)) gratitude = true;
      else if (inLexicon(word, GREETING)) greeting = true;
      else if (inLexicon(word, APPEAL)) appeal = true;
      else if (inLexicon(word, WAITING)) waiting = true;
      else if (!inLexicon(word, NOISE) && !isNoise(word) && !this.places.has(stem(word))) return undefined;
    }
    if (found.length === 0) return 'empty';
    if (appeal && /\d/.test(normalizeForMatching(text)) && !waiting && !gratitude) return 'request-number';
    if (gratitude) return 'gratitude';
    if (waiting || appeal) return 'waiting';
    if (greeting) return 'greeting';
    return 'noise';
  }

  /**
   * Whether the beginning of a text already names something, as `detect` reads the whole text:
   * its words but the last (which the cut may have shortened) are the whole text's first words, in
   * order, unless a tag or an entity (removed by normalizing) may straddle the cut, or a capital
   * sigma may be lowercased otherwise in the whole text.
   */
  private namesSomethingEarly(head: string): boolean {
    // Σ lowercases by what follows it (final ς), which may lie past the cut.
    if (head.includes('<') || head.includes('&') || head.includes('Σ')) return false;
    const found = words(head);
    for (let i = 0; i < found.length - 1; i++) if (this.namesSomething(found[i])) return true;
    return false;
  }

  private namesSomething(word: string): boolean {
    return !(
      inLexicon(word, GRATITUDE) ||
      inLexicon(word, GREETING) ||
      inLexicon(word, APPEAL) ||
      inLexicon(word, WAITING) ||
      inLexicon(word, NOISE) ||
      isNoise(word) ||
      this.places.has(stem(word))
    );
  }
}

/**
 * How much of a long text is looked at first. A text that names something mostly does so in its
 * first words, and normalizing and splitting a whole long text was most of the detection's time
 * (5% of triage's); a content-free text is short and read whole.
 */
const HEAD = 160;

/** Letters that make no word: no vowel at all, one letter three times running, a run of keyboard keys. */
function isNoise(word: string): boolean {
  if (!VOWELS.test(word)) return true;
  if (/(\p{L})\1\1/u.test(word)) return true;
  if (word.length >= 4) for (const row of KEYBOARD) if (row.includes(word.slice(0, 4))) return true;
  return false;
}

function stem(word: string): string {
  return PorterStemmerRu.stem(word);
}
