// Public API of @velora/integrations/simulator: protocol fakes of Issabel (Asterisk AMI) and ElevenLabs
// for tests, the API's demo mode and `npm run sim:integrations`.
export { DEMO_CHANNELS, DEMO_PJSIP_ENDPOINTS, DEMO_SIP_PEERS, FakeAmiServer } from './ami-server';
export type { AmiFaultPoint, AmiServerLogEntry, FakeAmiChannel, FakeAmiServerOptions, FakePjsipEndpoint, FakeSipPeer } from './ami-server';
export { DEMO_MODELS, DEMO_VOICES, FakeElevenLabsServer } from './elevenlabs-server';
export type { FakeElevenLabsFault, FakeElevenLabsLogEntry, FakeElevenLabsOptions, FakeModel, FakeVoice } from './elevenlabs-server';
export { g711Silence, mp3SamplesPerFrame, mp3Silence, mp3SilenceFrame, pcmSilence, silenceFor, wavSilence } from './audio';
export type { Mp3FrameSpec } from './audio';
