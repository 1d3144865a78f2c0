// Simulated visitors of the Acme Cloud demo chat, for `npm run simulate`: each conversation is a
// sequence of the widget's own events (messages, votes, CSAT, handoffs, ends, sentiment from the
// real scorer, the intent from the real matcher), turned into a summary by the widget's own
// summarize(). The history has a shape worth looking at: intents that fail more than others,
// weekday traffic, returning visitors, and a release that regresses one intent.
import { compileIntents, labelIntent } from '../intents/match.ts';
import { DEMO_INTENTS } from '../collector/intents.ts';
import { score } from '../sentiment/index.ts';
import type { Summary } from '../shared/summary.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import { summarize } from '../summarize/summarize.ts';
import type { ConversationEvent, ConversationMeta } from '../types.ts';

export interface SimulationOptions {
  conversations: number;
  days: number;
  site: string;
  /** Newest conversation time (epoch ms); the history ends here. */
  end: number;
  seed: number;
}

interface Topic {
  intent: string | null;
  page: string;
  openers: string[];
  /** Chance that the bot's answer helps, before and after the regressing release. */
  success: [before: number, after: number];
}

const SITE_ORIGIN = 'https://www.acme-cloud.example';
const HOUR_MS = 3_600_000;

const TOPICS: Topic[] = [
  {
    intent: 'billing',
    page: '/account/billing',
    openers: ['I was charged twice this month', 'Where can I download my invoice?', 'Ich brauche eine Rechnung für März', 'Je voudrais un remboursement', '¿Dónde está mi factura?'],
    success: [0.72, 0.7],
  },
  {
    intent: 'password',
    page: '/login',
    openers: ['I forgot my password', 'I am locked out of my account', 'How do I reset 2FA?', "J'ai oublié mon mot de passe", 'Passwort zurücksetzen geht nicht'],
    success: [0.82, 0.8],
  },
  {
    intent: 'deploy',
    page: '/docs/deploy',
    openers: ['My deploy keeps failing with exit code 137', 'The build failed after I pushed', 'How do I rollback a deployment?', 'Mi despliegue no funciona', 'Le déploiement échoue'],
    // The release that changed the deploy answers made them worse: the regression to find.
    success: [0.7, 0.38],
  },
  {
    intent: 'pricing',
    page: '/pricing',
    openers: ['What does the Pro plan cost?', 'Can I upgrade mid-month?', 'Is there a discount on the yearly price?', 'Was kostet der Preis für Teams?'],
    success: [0.78, 0.78],
  },
  {
    intent: 'outage',
    page: '/status',
    openers: ['Is the dashboard down?', 'Getting 502 errors on my site', 'API requests timeout since this morning'],
    success: [0.45, 0.45],
  },
  {
    intent: null,
    page: '/help',
    openers: ['Hello', 'Can you help me?', 'Do you have an office in Berlin?', 'I have a question'],
    success: [0.6, 0.6],
  },
];
const TOPIC_WEIGHTS = [0.24, 0.2, 0.2, 0.14, 0.1, 0.12];

const FOLLOW_UPS = ['Can you explain that again?', 'Which menu is that in?', 'And what if that does not work?', 'ok', 'I tried that already'];
const THANKS = ['Thanks, that worked!', 'Great, that fixed it, thank you!', 'Perfect, thanks a lot', 'Danke, hat geklappt!', 'Merci, ça marche !'];
const ANGRY = ['This is useless, it still does not work!!!', 'Terrible answer, I am so frustrated', 'This is not helpful at all', 'Worst support ever'];
const HUMAN = ['Can I talk to a human please?', 'I want to speak to an agent', 'Connect me to a person'];

/** The release live at `at`: the last 40% of the period runs the release that regressed deploys. */
function releaseAt(at: number, options: SimulationOptions): string {
  const start = options.end - options.days * 86_400_000;
  return at < start + 0.6 * (options.end - start) ? 'v1.4.2' : 'v1.5.0';
}

export function simulate(options: SimulationOptions): Summary[] {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const weighted = <T>(list: readonly T[], weights: readonly number[]): T => {
    let r = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < list.length; i++) if ((r -= weights[i]!) <= 0) return list[i]!;
    return list[list.length - 1]!;
  };
  const intents = compileIntents(DEMO_INTENTS);
  const visitors = Array.from({ length: Math.max(1, Math.round(options.conversations * 0.6)) }, (_, i) => `v-sim-${options.seed}-${i.toString(36).padStart(4, '0')}`);
  const startOfPeriod = options.end - options.days * 86_400_000;
  const summaries: Summary[] = [];

  for (let n = 0; n < options.conversations; n++) {
    // Weekdays get more traffic than weekends; office hours more than nights.
    let at: number;
    // An hour clear of both ends: a dashboard opened within the hour shows the whole history in its
    // "last N days", and every conversation has ended by `end`.
    do at = startOfPeriod + HOUR_MS + random() * (options.end - startOfPeriod - 2 * HOUR_MS);
    while ((new Date(at).getUTCDay() % 6 === 0 && random() < 0.5) || (new Date(at).getUTCHours() < 7 && random() < 0.6));
    const release = releaseAt(at, options);
    const topic = weighted(TOPICS, TOPIC_WEIGHTS);
    const helps = random() < topic.success[release === 'v1.5.0' ? 1 : 0];
    const events: ConversationEvent[] = [];
    let t = at;
    let userIndex = 0;
    let botIndex = 0;
    const userTexts: string[] = [];
    const say = (text: string) => {
      t += 4_000 + random() * 40_000;
      const index = userIndex++;
      userTexts.push(text);
      events.push({ type: 'message', at: t, role: 'user', index, fingerprint: `sim-u${index}.0`, traceId: null });
      events.push({ type: 'sentiment', at: t + 50, message: index, compound: score(text).compound });
    };
    const answer = () => {
      t += 1_500 + random() * 6_000;
      const index = botIndex++;
      events.push({ type: 'message', at: t, role: 'bot', index, fingerprint: `sim-b${index}.0`, traceId: `sim-${n.toString(36)}-${index}` });
      return index;
    };
    answer(); // greeting
    say(pick(topic.openers));
    let last = answer();
    const turns = Math.floor(random() * 3);
    for (let i = 0; i < turns; i++) {
      say(pick(FOLLOW_UPS));
      last = answer();
    }
    const vote = (value: 'up' | 'down') => events.push({ type: 'vote', at: (t += 2_000), message: last, value });
    const csat = (scoreValue: number) => {
      events.push({ type: 'csat-shown', at: (t += 1_000) });
      if (random() < 0.55) events.push({ type: 'csat', at: (t += 5_000), score: scoreValue, comment: null });
    };
    let endReason: 'end' | 'idle' | 'handoff' | 'exit' = 'end';
    if (helps) {
      const r = random();
      if (r < 0.45) vote('up');
      if (r > 0.3) say(pick(THANKS));
      if (random() < 0.6) csat(random() < 0.8 ? 5 : 4);
      else endReason = random() < 0.5 ? 'idle' : 'end';
    } else {
      const r = random();
      if (r < 0.3) {
        vote('down');
        say(pick(ANGRY));
        if (random() < 0.5) say(pick(ANGRY));
        endReason = random() < 0.5 ? 'exit' : 'idle';
      } else if (r < 0.55) {
        say(pick(HUMAN));
        events.push({ type: 'handoff', at: (t += 500), source: 'message' });
        endReason = 'handoff';
      } else if (r < 0.75) {
        say(pick(FOLLOW_UPS)); // asked again, left before the answer
        endReason = 'exit';
      } else {
        vote('down');
        csat(random() < 0.7 ? 1 : 2);
      }
    }
    const intent = labelIntent(userTexts, intents);
    if (intent) events.splice(2, 0, { type: 'intent', at: at + 10, name: intent });
    if (endReason !== 'exit') events.push({ type: 'end', at: (t += endReason === 'idle' ? 600_000 : 3_000), reason: endReason });
    const meta: ConversationMeta = {
      id: `sim-${options.seed}-${n.toString(36).padStart(5, '0')}`,
      site: options.site,
      // A fifth of the conversations come from a few returning visitors.
      visitor: random() < 0.2 ? visitors[Math.floor(random() * Math.min(15, visitors.length))]! : pick(visitors),
      page: `${SITE_ORIGIN}${topic.page}`,
      release,
      locale: 'en',
      intent: null,
      startedAt: at,
    };
    summaries.push({ ...summarize(meta, events, { revision: 1, ...(endReason === 'exit' ? { exitAt: t + 30_000 } : {}) }), simulated: true });
  }
  return summaries.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
