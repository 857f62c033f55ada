/**
 * Words too common to say what a story is about, per language, in folded form (`foldText`:
 * lowercase, no diacritics, ß -> ss), because tokens are looked up after folding.
 * Function words (articles, pronouns, prepositions, conjunctions, auxiliaries) plus the reporting
 * verbs every news text uses ("sagte", "said"). Kept short on purpose: IDF down-weights the rest;
 * these only stop frequent filler from taking the few term slots a document keeps.
 */
const LISTS: Record<string, string> = {
  de: `ab aber alle allem allen aller allerdings alles als also am an andere anderen anderer anderes auch auf aus
    bei beim bereits bin bis bisher bislang bist da dabei dadurch dafur dagegen daher damit danach dann daran darauf
    darin daruber darum das dass dazu dem den denen denn dennoch der deren derzeit des deshalb dessen dich die dies diese
    diesem diesen dieser dieses dir doch dort du durch eben ein eine einem einen einer eines einige einigen einmal er erst
    erklarte es etwa etwas euch euer eure fur gab gegen gewesen gibt ging habe haben hat hatte hatten heute hier hin
    hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in indem ins ist ja jede jedem jeden jeder jedes
    jedoch jetzt kann kaum kein keine keinem keinen keiner konne konnen konnte man mehr mein meine mit muss musse mussen
    musste nach nachdem neben nicht nichts noch nun nur ob oder ohne rund sagt sagte schon sehr sei sein seine seinem
    seinen seiner seit sich sie sind so soll sollen sollte sondern sowie uber um und uns unser unsere unter viel viele
    vom von vor wahrend war waren warum was weil weiter welche welchem welchen welcher wenn wer werde werden wie wieder
    will wir wird wo worden wurde wurden zu zudem zum zur zwar zwischen`,
  en: `about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how if in into is it its itself just me more most mr mrs ms my no nor not now of off on once
    only or other our ours out over own said same says she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when where which while who whom why
    will with would you your yours according told`,
  fr: `afin ainsi alors apres au aussi autre autres aux avait avant avec avoir bien car ce ceci cela celle celles celui
    ces cet cette ceux chez comme comment contre dans de depuis des deja declare donc dont du elle elles en encore entre
    est et etaient etait ete etre eux fait il ils je la le les leur leurs lors lui ma mais me meme mes moi mon ne ni nos
    notre nous on ont ou par parce pas pendant peu plus pour pourquoi qu quand que quel quelle quelles quels qui sa sans
    se selon ses si son sont sous sur ta te tes toi ton tous tout toute toutes tres tu un une vers vos votre vous`,
  es: `al algo algunas algunos ante antes aunque como con contra cual cuando de del desde dijo donde durante el ella
    ellas ellos en entre era eran es esa esas ese eso esos esta estaba estado estan estar este esto estos fue fueron ha
    habia han hasta hay la las le les lo los mas me mi mientras muy ni no nos nosotros otra otras otro otros para pero
    por porque que quien se sea segun ser si sin sobre su sus tambien tanto te tiene tienen todo todos tu un una uno unos
    ya yo`,
};

const SETS = new Map<string, ReadonlySet<string>>();
const EMPTY: ReadonlySet<string> = new Set();

/** The stop words of a language by its primary subtag (`de-AT` -> de); an empty set for languages without a list. */
export function stopWordsFor(lang: string): ReadonlySet<string> {
  const base = lang.split("-")[0]!.toLowerCase();
  let set = SETS.get(base);
  if (!set) {
    const list = LISTS[base];
    set = list ? new Set(list.split(/\s+/).filter(Boolean)) : EMPTY;
    SETS.set(base, set);
  }
  return set;
}
