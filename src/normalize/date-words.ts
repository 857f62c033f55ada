/**
 * Words that occur in dates, folded like the parser folds its input: lower case, diacritics
 * removed (März -> marz, février -> fevrier, año -> ano, ç -> c). Month names are accepted in
 * every article language, because sources often keep their own (an English date in a German
 * article is still unambiguous). Covers de/en/fr/es fully, it/pt/nl month names.
 */

function tableOf<T>(groups: ReadonlyArray<readonly [T, string]>): ReadonlyMap<string, T> {
  const table = new Map<string, T>();
  for (const [value, words] of groups) {
    for (const word of words.split(" ")) table.set(word, value);
  }
  return table;
}

/** Folded month word -> 1..12. */
export const MONTHS: ReadonlyMap<string, number> = tableOf([
  [1, "january jan januar janner jaenner janvier janv enero ene gennaio gen janeiro januari"],
  [2, "february feb febr februar fevrier fevr fev febrero febbraio fevereiro februari"],
  [3, "march mar marz maerz mrz mars marzo marco maart mrt"],
  [4, "april apr avril avr abril abr aprile"],
  [5, "may mai mayo maggio mag maio mei"],
  [6, "june jun juni juin junio giugno giu junho"],
  [7, "july jul juli juillet juil julio luglio lug julho"],
  [8, "august aug aout agosto ago augustus"],
  [9, "september sep sept septembre septiembre setiembre set settembre sett setembro"],
  [10, "october oct oktober okt octobre octubre ottobre ott outubro out"],
  [11, "november nov novembre noviembre novembro"],
  [12, "december dec dezember dez decembre diciembre dic dicembre dezembro"],
]);

/** Folded weekday word -> ISO weekday (1 = Monday … 7 = Sunday). */
export const WEEKDAYS: ReadonlyMap<string, number> = tableOf([
  [1, "monday mon montag mo lundi lun lunes"],
  [2, "tuesday tue tues dienstag di mardi mar martes"],
  [3, "wednesday wed mittwoch mi mercredi mer miercoles mie"],
  [4, "thursday thu thur thurs donnerstag do jeudi jeu jueves jue"],
  [5, "friday fri freitag fr vendredi ven viernes vie"],
  [6, "saturday sat samstag sonnabend sa samedi sam sabado sab"],
  [7, "sunday sun sonntag so dimanche dim domingo dom"],
]);

/** Words that may precede a date: "Donnerstag, den 13. Februar", "le 13 février", "on May 2". */
export const DATE_PREFIX_WORDS: ReadonlySet<string> = new Set(["am", "den", "der", "im", "the", "on", "in", "le", "en", "el"]);

export type RelativeUnit = "second" | "minute" | "hour" | "day" | "week" | "month" | "year";

/** Folded unit word (a trailing dot is removed first) -> unit. */
export const RELATIVE_UNITS: ReadonlyMap<string, RelativeUnit> = tableOf<RelativeUnit>([
  ["second", "s sec secs second seconds sek sekunde sekunden seconde secondes segundo segundos"],
  ["minute", "min mins minute minutes minuten minuto minutos"],
  ["hour", "h hr hrs hour hours std stunde stunden heure heures hora horas"],
  ["day", "d day days tag tage tagen tags jour jours j dia dias"],
  ["week", "w wk wks week weeks woche wochen semaine semaines semana semanas"],
  ["month", "mo mos month months monat monate monaten monats mois mes meses"],
  ["year", "y yr yrs year years jahr jahre jahren jahres an ans annee annees ano anos"],
]);

/** Folded number word -> value, for "vor einem Monat", "an hour ago", "il y a une semaine". */
export const NUMBER_WORDS: ReadonlyMap<string, number> = tableOf([
  [1, "a an one ein eine einem einer einen eins un une uno una"],
  [2, "two zwei deux dos"],
  [3, "three drei trois tres"],
  [4, "four vier quatre cuatro"],
  [5, "five funf fuenf cinq cinco"],
  [6, "six sechs seis"],
  [7, "seven sieben sept siete"],
  [8, "eight acht huit ocho"],
  [9, "nine neun neuf nueve"],
  [10, "ten zehn dix diez"],
  [11, "eleven elf onze once"],
  [12, "twelve zwolf zwoelf douze doce"],
]);

/** Whole folded value, spaces as hyphens ("avant hier" -> avant-hier) -> days before the reference day. */
export const DAY_WORDS: ReadonlyMap<string, number> = tableOf([
  [0, "today heute aujourd'hui aujourdhui hoy"],
  [1, "yesterday gestern hier ayer"],
  [2, "vorgestern avant-hier anteayer antier day-before-yesterday the-day-before-yesterday"],
]);

/** Fixed-offset zone abbreviations that are unambiguous enough to accept, in minutes. */
export const ZONE_ABBREVIATIONS: ReadonlyMap<string, number> = tableOf([
  [0, "z utc gmt wet"],
  [60, "cet mez west"],
  [120, "cest mesz eet"],
  [180, "eest"],
  [-300, "est"],
  [-240, "edt"],
  [-480, "pst"],
  [-420, "pdt"],
]);

/** English names for messages. */
export const MONTH_NAMES_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

export const WEEKDAY_NAMES_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
