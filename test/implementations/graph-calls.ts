/**
 * A Microsoft Graph cloud-communications "calls" service (beta) on Fastify, written from the
 * "Create call" and "Delete call" reference pages: POST /beta/communications/calls creates an
 * outgoing peer-to-peer or group call or joins a meeting, DELETE /beta/communications/calls/{id}
 * hangs it up, and the call's state changes are POSTed to the callbackUri given at creation as
 * commsNotifications. It behaves as a real service does: fresh ids, its own origin in
 * @odata.context and Location, the request's values echoed, properties the docs leave out, gzip
 * when asked, streamed (chunked) bodies. It is a test double: notifications only go to loopback.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import compress from '@fastify/compress';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

/** Mistakes a real implementation could make, each breaking the cases that observe it. */
export type GraphBug =
  /** Terminating/terminated notifications name the call chain id instead of the call id in resourceUrl. */
  | 'delete-notification-other-call'
  /** Every target's identity.user.id is replaced by a freshly generated id (a participant id mix-up). */
  | 'target-user-id-replaced'
  /** The created call's tenantId is the application's id, not the tenant that was sent. */
  | 'tenant-id-replaced'
  /** mediaConfig is left out of the created call. */
  | 'media-config-dropped'
  /** The create answer claims the call is already established (the call itself is not). */
  | 'state-established'
  /** The terminated notification is POSTed before the terminating one. */
  | 'delete-notifications-reversed'
  /** Create answers 200 OK instead of 201 Created. */
  | 'create-200'
  /** Delete answers 200 OK instead of 204 No Content. */
  | 'delete-200'
  /** Delete writes the deleted call as a body on its 204 (Node drops the bytes, not the Content-Length). */
  | 'delete-body'
  /** The terminated notification is never sent. */
  | 'terminated-not-sent'
  /** The terminated notification's resourceData says it is a callRecord. */
  | 'terminated-wrong-odata-type';

export interface GraphCallsOptions {
  bugs?: GraphBug[];
  /** Pause before each simulated event (state change, roster, content sharing), in ms. */
  eventDelayMs?: number;
  /** The version segment the API is served under: `/beta` as Graph does, or `''` for a service at the root. */
  prefix?: string;
}

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const GRAPH = '#microsoft.graph.';
const MODALITIES = new Set(['audio', 'video', 'videoBasedScreenSharing', 'data']);
const MEDIA_CONFIGS = new Set([`${GRAPH}serviceHostedMediaConfig`, `${GRAPH}appHostedMediaConfig`]);
const TARGET_TYPES = new Set([`${GRAPH}invitationParticipantInfo`, `${GRAPH}participantInfo`]);
const IDENTITY_KINDS = ['user', 'phone', 'application', 'applicationInstance', 'guest', 'device'];
/** "Create a group call … supports up to 5 VoIP users." */
const MAX_GROUP_TARGETS = 5;

/**
 * Who the service acts for. Graph takes the tenant and the calling application from the bearer
 * token; this double has no tokens, so it is registered for one bot in one tenant (the pages'
 * "Calling Bot"), used whenever a request names no source or no tenant.
 */
const HOME_TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const BOT: JsonObject = {
  '@odata.type': `${GRAPH}identity`,
  displayName: 'Calling Bot',
  id: '2891555a-92ff-42e6-80fa-6e1300c6b5c6',
};

type Stream = [mediaType: string, sourceId: string, direction: string];

/** A participant already in a meeting when the bot joins. */
interface Attendee {
  id: string;
  identity: JsonObject;
  languageId: string | null;
  streams: Stream[];
  isMuted: boolean;
}

/** An online meeting of the tenant, as Get onlineMeeting would describe it. */
interface Meeting {
  threadId: string;
  messageId: string;
  joinMeetingId: string | null;
  attendees: Attendee[];
  /** The media controller numbers sources; the ones below this are taken by the attendees' endpoints. */
  firstFreeSourceId: number;
  /** Lobby bypass is for people in the organization: guests wait in the lobby to be admitted. */
  guestsWaitInLobby: boolean;
}

const meetingOn = (
  threadId: string,
  messageId: string,
  joinMeetingId: string | null = null,
  attendees: Attendee[] = [],
): Meeting => ({
  threadId,
  messageId,
  joinMeetingId,
  attendees,
  firstFreeSourceId: 10,
  guestsWaitInLobby: true,
});

/** The tenant's meetings the pages join (thread, message and join ids come from Get onlineMeeting). */
const MEETINGS: readonly Meeting[] = [
  meetingOn('19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2', '0', null, [
    {
      id: '0d7664b6-6432-43ed-8d27-d9e7adec188c',
      languageId: 'en-US',
      isMuted: true,
      identity: {
        user: { '@odata.type': `${GRAPH}identity`, displayName: 'John', id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8' },
      },
      streams: [
        ['audio', '1', 'sendReceive'],
        ['video', '2', 'receiveOnly'],
        ['videoBasedScreenSharing', '8', 'receiveOnly'],
      ],
    },
  ]),
  meetingOn('19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNNkYTFm@thread.v2', '0', '1234567'),
  meetingOn('19:cbee7c1c860e465f8258e3cebf7bee0d@thread.skype', '1533758867081'),
];

interface Call {
  id: string;
  /** The call resource as GET would return it (state kept current). */
  resource: JsonObject;
  callbackUri: string;
  meeting: Meeting | null;
  /** Set once a DELETE arrived: simulated events still queued are dropped. */
  ending: boolean;
  /** Notifications are POSTed one at a time, in the order the call's events happen. */
  outbox: Promise<void>;
}

/** An error answered in Graph's error shape. */
class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const badRequest = (message: string) => new GraphError(400, 'BadRequest', message);

/** Only loopback receivers get notifications: the double never sends anything off the machine. */
export function isLoopbackUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]' || host === 'localhost';
}

/** An absolute http(s) URL, as callbackUri must be. */
function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** An identitySet must name at least one identity with an id. */
function checkIdentitySet(identity: Json | undefined, where: string): JsonObject {
  if (!isObject(identity)) throw badRequest(`${where}.identity is required.`);
  const named = IDENTITY_KINDS.filter((k) => isObject(identity[k]));
  if (named.length === 0) throw badRequest(`${where}.identity names no user, phone, application or guest.`);
  for (const k of named) {
    const id = (identity[k] as JsonObject)['id'];
    if (typeof id !== 'string' || id === '') throw badRequest(`${where}.identity.${k}.id is required.`);
  }
  return identity;
}

/** participantInfo with every property the resource has (Graph writes the unset ones as null). */
function participantInfo(given: JsonObject): JsonObject {
  return {
    '@odata.type': `${GRAPH}participantInfo`,
    identity: given['identity'] ?? null,
    countryCode: given['countryCode'] ?? null,
    endpointType: given['endpointType'] ?? null,
    region: given['region'] ?? null,
    languageId: given['languageId'] ?? null,
  };
}

/** Targets are invitationParticipantInfo, whichever of the two participant types the client wrote. */
function invitation(given: Json, index: number): JsonObject {
  if (!isObject(given)) throw badRequest(`targets[${index}] must be an object.`);
  const type = given['@odata.type'];
  if (type !== undefined && !TARGET_TYPES.has(String(type))) {
    throw badRequest(`targets[${index}] cannot be a ${String(type)}.`);
  }
  return {
    '@odata.type': `${GRAPH}invitationParticipantInfo`,
    identity: checkIdentitySet(given['identity'], `targets[${index}]`),
    endpointType: given['endpointType'] ?? null,
    region: given['region'] ?? null,
    replacesCallId: given['replacesCallId'] ?? null,
    languageId: given['languageId'] ?? null,
    ...(given['hidden'] !== undefined ? { hidden: given['hidden'] } : {}),
  };
}

/** The meeting a join request names, by its chat thread or its join meeting id. */
function meetingOf(meetingInfo: JsonObject, chatInfo: Json | undefined): Meeting {
  const type = meetingInfo['@odata.type'];
  if (type === `${GRAPH}joinMeetingIdMeetingInfo`) {
    const joinId = meetingInfo['joinMeetingId'];
    if (typeof joinId !== 'string' || joinId === '') throw badRequest('meetingInfo.joinMeetingId is required.');
    const found = MEETINGS.find((m) => m.joinMeetingId === joinId);
    // The passcode is checked by the meeting's own join flow, which this double does not model.
    if (!found) throw new GraphError(404, 'NotFound', `No meeting with joinMeetingId ${joinId}.`);
    return found;
  }
  if (type !== `${GRAPH}organizerMeetingInfo` && type !== `${GRAPH}tokenMeetingInfo`) {
    throw badRequest(`meetingInfo type ${String(type)} is not supported.`);
  }
  if (!isObject(chatInfo) || typeof chatInfo['threadId'] !== 'string') {
    throw badRequest('chatInfo.threadId is required to join a meeting.');
  }
  const threadId = chatInfo['threadId'];
  // A thread the double was not told about is a meeting nobody else has joined yet.
  return MEETINGS.find((m) => m.threadId === threadId) ?? meetingOn(threadId, String(chatInfo['messageId'] ?? '0'));
}

/** The parts of a create request that decide what kind of call it is, checked. */
function checkCreate(body: JsonObject): { callbackUri: string; modalities: string[]; mediaConfig: JsonObject } {
  if (body['@odata.type'] !== undefined && body['@odata.type'] !== `${GRAPH}call`) {
    throw badRequest('The body must be a #microsoft.graph.call.');
  }
  const callbackUri = body['callbackUri'];
  if (typeof callbackUri !== 'string' || !isHttpUrl(callbackUri)) {
    throw badRequest('callbackUri must be an absolute http(s) URL.');
  }
  const modalities = body['requestedModalities'];
  if (
    !Array.isArray(modalities) ||
    modalities.length === 0 ||
    !modalities.every((m): m is string => typeof m === 'string' && MODALITIES.has(m))
  ) {
    throw badRequest('requestedModalities must list audio, video, videoBasedScreenSharing or data.');
  }
  const mediaConfig = body['mediaConfig'];
  if (!isObject(mediaConfig) || !MEDIA_CONFIGS.has(String(mediaConfig['@odata.type']))) {
    throw badRequest('mediaConfig must be a serviceHostedMediaConfig or an appHostedMediaConfig.');
  }
  if (mediaConfig['@odata.type'] === `${GRAPH}appHostedMediaConfig` && typeof mediaConfig['blob'] !== 'string') {
    throw badRequest('appHostedMediaConfig.blob (the media session configuration) is required.');
  }
  if ((body['direction'] ?? 'outgoing') !== 'outgoing') throw badRequest('Only outgoing calls can be created.');
  return { callbackUri, modalities, mediaConfig };
}

/** The created call resource: the request's values, normalized, plus what the service decides. */
function createCall(body: JsonObject, serviceRoot: string, bugs: ReadonlySet<GraphBug>) {
  const { callbackUri, modalities, mediaConfig } = checkCreate(body);
  const meetingInfo = isObject(body['meetingInfo']) ? body['meetingInfo'] : null;
  const targetsGiven = body['targets'] ?? [];
  if (!Array.isArray(targetsGiven)) throw badRequest('targets must be an array.');
  if (!meetingInfo && targetsGiven.length === 0) {
    throw badRequest('A call needs targets, or meetingInfo to join a meeting.');
  }
  if (targetsGiven.length > MAX_GROUP_TARGETS) {
    throw badRequest(`A group call supports up to ${MAX_GROUP_TARGETS} targets.`);
  }
  const targets = targetsGiven.map(invitation);
  const meeting = meetingInfo ? meetingOf(meetingInfo, body['chatInfo']) : null;
  let chatInfo: Json = null;
  if (meeting) {
    // Joining by thread: the chatInfo sent; by join meeting id: the meeting's own chat.
    const sent = isObject(body['chatInfo'])
      ? body['chatInfo']
      : { '@odata.type': `${GRAPH}chatInfo`, threadId: meeting.threadId, messageId: meeting.messageId };
    chatInfo = { replyChainMessageId: null, ...sent };
  }
  const sourceGiven = body['source'];
  const source = isObject(sourceGiven)
    ? participantInfo({ ...sourceGiven, identity: checkIdentitySet(sourceGiven['identity'], 'source') })
    : participantInfo({ identity: { '@odata.type': `${GRAPH}identitySet`, application: BOT } });
  if (bugs.has('target-user-id-replaced')) {
    for (const t of targets) {
      const identity = t['identity'] as JsonObject;
      if (isObject(identity['user'])) identity['user'] = { ...identity['user'], id: randomUUID() };
    }
  }
  const tenantGiven = body['tenantId'];
  const tenantId = bugs.has('tenant-id-replaced')
    ? String(BOT['id'])
    : typeof tenantGiven === 'string'
      ? tenantGiven
      : HOME_TENANT;
  const callOptions = isObject(body['callOptions'])
    ? body['callOptions']
    : { '@odata.type': `${GRAPH}outgoingCallOptions`, isContentSharingNotificationEnabled: false };
  const id = randomUUID();
  // Members in the order Graph's serializer writes them, not the docs' order.
  const call: JsonObject = {
    '@odata.context': `${serviceRoot}/$metadata#app/calls/$entity`,
    '@odata.type': `${GRAPH}call`,
    id,
    state: 'establishing',
    direction: 'outgoing',
    subject: body['subject'] ?? null,
    callbackUri,
    callChainId: randomUUID(),
    myParticipantId: randomUUID(),
    tenantId,
    source,
    targets,
    requestedModalities: modalities,
    activeModalities: [],
    ...(bugs.has('media-config-dropped') ? {} : { mediaConfig }),
    chatInfo,
    meetingInfo,
    callOptions,
    callRoutes: [],
    routingPolicies: [],
    incomingContext: null,
    transcription: null,
    terminationReason: null,
    ringingTimeoutInSeconds: body['ringingTimeoutInSeconds'] ?? null,
    mediaState: null,
    resultInfo: null,
    answeredBy: null,
    meetingCapability: null,
    toneInfo: null,
    hasDiagnostics: false,
  };
  return { call, meeting };
}

interface NotificationOptions {
  /** Below the call: `/participants`, `/contentsharingsessions`. */
  path?: string;
  /** The call id the notification names (the call's own, unless a bug says otherwise). */
  idOf?: string;
  withCallbackUri?: boolean;
}

/** One commsNotification about the call, with the legacy `resource` path beside `resourceUrl`. */
function notification(call: Call, changeType: string, resourceData: Json, options: NotificationOptions = {}) {
  const { path = '', idOf = call.id, withCallbackUri = true } = options;
  return {
    '@odata.type': `${GRAPH}commsNotifications`,
    value: [
      {
        '@odata.type': `${GRAPH}commsNotification`,
        changeType,
        resource: `/app/calls/${idOf}${path}`,
        resourceUrl: `/communications/calls/${idOf}${path}`,
        ...(withCallbackUri ? { callbackUri: call.callbackUri } : {}),
        resourceData,
      },
    ],
  };
}

/** A state-change notification's resourceData: the call's state and what identifies the call. */
function stateData(call: Call): JsonObject {
  const r = call.resource;
  const chatInfo = r['chatInfo'];
  // A meeting call is also known by its chat and meeting.
  const meeting: JsonObject =
    call.meeting && isObject(chatInfo) ? { chatInfo: { ...chatInfo }, meetingInfo: r['meetingInfo'] ?? null } : {};
  return {
    '@odata.type': `${GRAPH}call`,
    state: r['state'] ?? null,
    direction: r['direction'] ?? null,
    tenantId: r['tenantId'] ?? null,
    ...meeting,
    callChainId: r['callChainId'] ?? null,
    id: call.id,
  };
}

/** A participant entry of a roster notification. */
function participant(
  id: string,
  identity: Json,
  languageId: Json,
  streams: Stream[],
  isMuted: boolean,
  isInLobby: boolean,
): JsonObject {
  return {
    '@odata.type': `${GRAPH}participant`,
    info: { '@odata.type': `${GRAPH}participantInfo`, identity, ...(languageId !== null ? { languageId } : {}) },
    mediaStreams: streams.map(([mediaType, sourceId, direction]) => ({
      '@odata.type': `${GRAPH}mediaStream`,
      mediaType,
      label: null,
      sourceId,
      direction,
      serverMuted: false,
    })),
    isMuted,
    isInLobby,
    metadata: null,
    recordingInfo: null,
    id,
  };
}

/**
 * The bot's own roster entry: one stream per requested modality, numbered by the meeting.
 * Each call sees the meeting as the tenant holds it (other bots' calls do not show), so that
 * replaying the same join gives the same roster.
 */
function botParticipant(call: Call, meeting: Meeting, inLobby: boolean): JsonObject {
  const r = call.resource;
  const modalities = (r['requestedModalities'] as string[]).filter((m) => m !== 'data');
  const streams = modalities.map((m, i): Stream => [m, String(meeting.firstFreeSourceId + i), 'sendReceive']);
  const identity = (r['source'] as JsonObject)['identity'] ?? null;
  return participant(String(r['myParticipantId']), identity, null, streams, false, inLobby);
}

function isGuest(call: Call): boolean {
  const identity = (call.resource['source'] as JsonObject)['identity'];
  return isObject(identity) && isObject(identity['guest']);
}

/** A content sharing session id: 64 hex digits, as Teams writes them. */
const sharingSessionId = () => randomBytes(32).toString('hex').toUpperCase();

export async function startGraphCalls(options: GraphCallsOptions = {}): Promise<RunningService> {
  const bugs = new Set(options.bugs ?? []);
  const delay = options.eventDelayMs ?? 15;
  const prefix = options.prefix ?? '/beta';
  const calls = new Map<string, Call>();
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  /** POST one notification to the call's callback; failures are the receiver's problem (no retries). */
  const post = async (call: Call, body: JsonObject): Promise<void> => {
    if (closed || !isLoopbackUrl(call.callbackUri)) return;
    try {
      const res = await fetch(call.callbackUri, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'client-request-id': randomUUID() },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
    } catch {
      // An unreachable bot misses the notification, as with Graph.
    }
  };

  /** Queue an event of the call: after a pause, unless the call is being torn down, build and send it. */
  const event = (call: Call, build: () => JsonObject | null, { final = false } = {}) => {
    call.outbox = call.outbox.then(async () => {
      await sleep(delay);
      if (closed || (call.ending && !final)) return;
      const body = build();
      if (body) await post(call, body);
    });
  };

  /** What happens after a call is created, as the pages describe it for each kind of call. */
  const simulate = (call: Call) => {
    event(call, () => notification(call, 'updated', stateData(call)));
    const meeting = call.meeting;
    if (meeting && isGuest(call) && meeting.guestsWaitInLobby) {
      // A guest is held in the lobby until admitted, and sees only itself until then.
      const self = [botParticipant(call, meeting, true)];
      event(call, () => notification(call, 'updated', self, { path: '/participants' }));
      return;
    }
    event(call, () => {
      call.resource['state'] = 'established';
      return notification(call, 'updated', stateData(call));
    });
    if (meeting) {
      // Joining a meeting: the roster follows the state notifications.
      const attendees = meeting.attendees.map((a) =>
        participant(
          a.id,
          { '@odata.type': `${GRAPH}identitySet`, ...a.identity },
          a.languageId,
          a.streams,
          a.isMuted,
          false,
        ),
      );
      const roster = [...attendees, botParticipant(call, meeting, false)];
      event(call, () => notification(call, 'updated', roster, { path: '/participants' }));
      return;
    }
    const callOptions = call.resource['callOptions'];
    if (isObject(callOptions) && callOptions['isContentSharingNotificationEnabled'] === true) {
      // The callee shares a screen, updates it and stops: the bot asked to hear of it.
      const session = [{ '@odata.type': `${GRAPH}contentSharingSession`, id: sharingSessionId() }];
      for (const changeType of ['created', 'updated', 'deleted']) {
        const options = { path: '/contentsharingsessions', withCallbackUri: false };
        event(call, () => notification(call, changeType, session, options));
      }
    }
  };

  /** Hang up: terminating, then terminated with the end reason (code 200/5001, as the Delete page shows). */
  const hangUp = (call: Call) => {
    call.ending = true;
    const idOf = bugs.has('delete-notification-other-call') ? String(call.resource['callChainId']) : call.id;
    const terminating = () => {
      call.resource['state'] = 'terminating';
      const data = { '@odata.type': `${GRAPH}call`, state: 'terminating', id: call.id };
      return notification(call, 'updated', data, { idOf });
    };
    const terminated = () => {
      call.resource['state'] = 'terminated';
      const resultInfo = {
        '@odata.type': `${GRAPH}resultInfo`,
        code: '200',
        subcode: '5001',
        message: 'The conversation has ended.',
      };
      call.resource['resultInfo'] = resultInfo;
      const type = bugs.has('terminated-wrong-odata-type') ? `${GRAPH}callRecord` : `${GRAPH}call`;
      const data = { '@odata.type': type, state: 'terminated', resultInfo, id: call.id };
      return notification(call, 'deleted', data, { idOf });
    };
    const order = bugs.has('delete-notifications-reversed') ? [terminated, terminating] : [terminating, terminated];
    for (const build of order) {
      if (build === terminated && bugs.has('terminated-not-sent')) continue;
      event(call, build, { final: true });
    }
    event(
      call,
      () => {
        calls.delete(call.id);
        return null;
      },
      { final: true },
    );
  };

  const app = Fastify({ logger: false, forceCloseConnections: true });
  // Requests are JSON only ("Content-type: application/json. Required."): anything else is a 415.
  app.removeContentTypeParser('text/plain');
  // gzip/deflate/br when Accept-Encoding asks; streamed bodies go out chunked either way.
  await app.register(compress, { global: true, encodings: ['gzip', 'deflate', 'br'] });

  // Graph echoes the client's request id (or makes one) in the headers and in error bodies.
  const clientIds = new WeakMap<FastifyRequest, string>();
  const requestId = (req: FastifyRequest) => clientIds.get(req) ?? 'unknown';
  app.addHook('onRequest', async (req, reply) => {
    const given = req.headers['client-request-id'];
    clientIds.set(req, typeof given === 'string' && given !== '' ? given : randomUUID());
    reply.header('request-id', randomUUID()).header('client-request-id', requestId(req));
  });
  const sendError = (req: FastifyRequest, reply: FastifyReply, e: GraphError) => {
    const innerError = {
      date: new Date().toISOString(),
      'request-id': randomUUID(),
      'client-request-id': requestId(req),
    };
    const body = { error: { code: e.code, message: e.message, innerError } };
    return reply.code(e.status).type('application/json').send(JSON.stringify(body));
  };
  app.setErrorHandler((error, req, reply) => {
    // Fastify's own 400/415 (a body that is not JSON, another media type) are shaped as Graph's too.
    const status = (error as { statusCode?: number }).statusCode;
    const message = error instanceof Error ? error.message : String(error);
    let e = new GraphError(500, 'InternalServerError', 'An internal server error occurred.');
    if (error instanceof GraphError) e = error;
    else if (status === 415) e = new GraphError(415, 'UnsupportedMediaType', message);
    else if (status === 400) e = new GraphError(400, 'BadRequest', message);
    void sendError(req, reply, e);
  });
  app.setNotFoundHandler((req, reply) => {
    const segment = req.url.split('?')[0];
    void sendError(req, reply, new GraphError(404, 'BadRequest', `Resource not found for the segment '${segment}'.`));
  });

  const odataJson =
    'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;' + 'charset=utf-8';
  /** The OData writer streams entities: no Content-Length, the body goes out chunked. */
  const sendEntity = (reply: FastifyReply, status: number, entity: JsonObject) =>
    reply
      .code(status)
      .type(odataJson)
      .header('OData-Version', '4.0')
      .send(Readable.from([Buffer.from(JSON.stringify(entity))]));
  const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
  const findCall = (id: string): Call => {
    const call = calls.get(id.toLowerCase());
    if (!call || call.ending) throw new GraphError(404, 'NotFound', `Call ${id} was not found.`);
    return call;
  };

  // /app/calls is the deprecated spelling of /communications/calls; both are served.
  for (const base of [`${prefix}/communications/calls`, `${prefix}/app/calls`]) {
    app.post(base, async (req, reply) => {
      if (!isObject(req.body)) throw badRequest('The request body must be a JSON object.');
      const origin = originOf(req);
      const { call: resource, meeting } = createCall(req.body, `${origin}${prefix}`, bugs);
      const id = String(resource['id']);
      const callbackUri = String(resource['callbackUri']);
      const call: Call = { id, resource, callbackUri, meeting, ending: false, outbox: Promise.resolve() };
      calls.set(id, call);
      simulate(call);
      reply.header('Location', `${origin}${prefix}/communications/calls/${id}`);
      // The state-established bug is in the answer only: the call itself still goes through establishing.
      const answer = bugs.has('state-established') ? { ...resource, state: 'established' } : resource;
      return sendEntity(reply, bugs.has('create-200') ? 200 : 201, answer);
    });

    app.get(`${base}/:id`, async (req, reply) => {
      const call = findCall((req.params as { id: string }).id);
      const context = `${originOf(req)}${prefix}/$metadata#app/calls/$entity`;
      return sendEntity(reply, 200, { ...call.resource, '@odata.context': context });
    });

    app.delete(`${base}/:id`, async (req, reply) => {
      const call = findCall((req.params as { id: string }).id);
      hangUp(call);
      if (bugs.has('delete-200')) return reply.code(200).send();
      if (bugs.has('delete-body')) {
        // Written past the framework, which would have refused a 204 body.
        const text = JSON.stringify(call.resource);
        reply.hijack();
        reply.raw.writeHead(204, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        reply.raw.end(text);
        return reply;
      }
      return reply.code(204).send();
    });
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await app.close();
    },
  };
}
