// A relying party built on openid-client's public API, driven by the Go
// test beside this file (server_test.go) against the example authorization
// server running as a process.
//
// It reads one JSON object on standard input:
//
//   {
//     "issuer": "https://127.0.0.1:PORT",
//     "server_ca": "<PEM of the server's self-signed TLS certificate>",
//     "redirect_uri": "https://rp.example.org/cb",
//     "certs": { "<name>": { "cert": "<PEM>", "key": "<PKCS#8 PEM>" } },
//     "clients": { "<name>": {
//         "client_id": "...", "auth": "private_key_jwt" | "tls_client_auth",
//         "key": "<PKCS#8 PEM of the RSA key>", "kid": "...",
//         "cert": "<name in certs, presented on every back-channel request>",
//         "other_cert": "<name in certs>", "dpop": true|false,
//         "metadata": { <openid-client ClientMetadata> } } },
//     "scenarios": [ {
//         "name": "...", "client": "<name in clients>",
//         "request": "plain" | "par" | "jar" | "jar-par",
//         "response": "query" | "form_post" | "jarm" | "hybrid",
//         "params": { <more authorization parameters> },
//         "outside": { <parameters added outside a request object by value> },
//         "steps": [ "<step>", ... ] } ]
//   }
//
// and prints {"<scenario name>": [{"step", "outcome", "detail", "facts"}]}:
// the outcome of every step in order, "ok" or how openid-client surfaced
// the failure — "body:<error>" (ResponseBodyError: an OAuth error answer
// of the PAR or token endpoint), "challenge:<error>"
// (WWWAuthenticateChallengeError: the resource's WWW-Authenticate),
// "authz:<error>" (AuthorizationResponseError: an error in the
// authorization response), "client:<code>" (openid-client refused the
// server's answer itself), "page:<status>" (the authorization endpoint
// showed an error page instead of redirecting: there is nothing for a
// client to read). A failed step does not stop the scenario; later steps
// use what the earlier ones left.
//
// Nothing here checks the server's answers beyond what openid-client
// checks: the point is what a standard client does by default. The only
// deviations are the steps named for an attack, which alter one request or
// response after openid-client built it (a replayed DPoP proof, a tampered
// JARM response, a removed iss), and "authorize", which plays the user's
// browser: a GET of the authorization URL without following redirects
// (the server approves every request at once), whose redirect, form_post
// page or error page becomes the callback openid-client reads.
import * as client from 'openid-client'
import https from 'node:https'

const chunks = []
for await (const c of process.stdin) chunks.push(c)
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))

// send makes one HTTPS request with node:https (TLS client certificates
// and the server's self-signed certificate as the only trust anchor),
// following no redirect.
function send (url, { method = 'GET', headers = {}, body }, agent) {
  let data = null
  if (body != null) {
    data = Buffer.from(typeof body === 'string' || body instanceof URLSearchParams ? body.toString() : body)
  }
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, agent }, (res) => {
      const parts = []
      res.on('data', (c) => parts.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(data)
  })
}

function toResponse (r) {
  const h = new Headers()
  for (const [k, v] of Object.entries(r.headers)) {
    for (const x of [].concat(v)) h.append(k, x)
  }
  const noBody = [101, 204, 205, 304].includes(r.status)
  return new Response(noBody ? null : r.body, { status: r.status, headers: h })
}

const agents = new Map()
function agent (certName) {
  if (!agents.has(certName)) {
    const opts = { ca: input.server_ca, keepAlive: false }
    if (certName) {
      opts.cert = input.certs[certName].cert
      opts.key = input.certs[certName].key
    }
    agents.set(certName, new https.Agent(opts))
  }
  return agents.get(certName)
}

// A recorder sits in openid-client's customFetch: it counts the requests to
// each endpoint, keeps the last DPoP proof sent to each, and replaces the
// proof of the next request to an endpoint when a step asks it to.
class Recorder {
  constructor (certName) {
    this.cert = certName
    this.count = {}
    this.lastProof = {}
    this.replace = {}
    this.fetch = async (url, opts) => {
      const key = endpointOf(url)
      const headers = { ...opts.headers }
      if (this.replace[key] && headers.dpop) {
        headers.dpop = this.replace[key]
        delete this.replace[key]
      } else if (headers.dpop) {
        this.lastProof[key] = headers.dpop
      }
      this.count[key] = (this.count[key] || 0) + 1
      return toResponse(await send(url, { ...opts, headers }, agent(this.cert)))
    }
  }
}

function endpointOf (url) {
  const u = new URL(url)
  return u.origin + u.pathname
}

async function importRSA (pem, name) {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
  return crypto.subtle.importKey('pkcs8', der, { name, hash: 'SHA-256' }, false, ['sign'])
}

// The key a client signs with: PS256 (RSA-PSS), or RS256
// (RSASSA-PKCS1-v1_5) for the steps that check the server refuses it.
async function signingKey (c, alg = 'PS256') {
  const name = alg === 'RS256' ? 'RSASSA-PKCS1-v1_5' : 'RSA-PSS'
  return { key: await importRSA(c.key, name), kid: c.kid }
}

async function clientAuth (c, alg) {
  if (c.auth === 'tls_client_auth') return client.TlsClientAuth()
  return client.PrivateKeyJwt(await signingKey(c, alg))
}

// configure discovers the server (openid-client's discovery(), which checks
// the issuer) for client c, presenting certificate certName.
async function configure (s, c, certName, alg) {
  const rec = new Recorder(certName)
  const execute = []
  if (s.response === 'jarm') execute.push(client.useJwtResponseMode)
  if (s.response === 'hybrid') execute.push(client.useCodeIdTokenResponseType, client.enableDetachedSignatureResponseChecks)
  const config = await client.discovery(new URL(input.issuer), c.client_id, { ...c.metadata }, await clientAuth(c, alg), {
    [client.customFetch]: rec.fetch,
    execute
  })
  return { config, rec }
}

function describe (err) {
  if (err instanceof client.ResponseBodyError) {
    return { outcome: `body:${err.error}`, detail: `${err.status} ${err.error}: ${err.error_description || ''}` }
  }
  if (err instanceof client.WWWAuthenticateChallengeError) {
    const ch = err.cause?.[0]
    return { outcome: `challenge:${ch?.parameters?.error}`, detail: `${err.response?.status} ${ch?.scheme} ${JSON.stringify(ch?.parameters)}` }
  }
  if (err instanceof client.AuthorizationResponseError) {
    return { outcome: `authz:${err.error}`, detail: `${err.error}: ${err.error_description || ''}` }
  }
  if (err instanceof client.ClientError) {
    return { outcome: `client:${err.code}`, detail: `${err.message}${err.cause?.message ? ': ' + err.cause.message : ''}` }
  }
  return { outcome: `exception:${err?.name}`, detail: String(err?.stack || err) }
}

// Scenario state and the steps that act on it.
class Run {
  constructor (s) {
    this.s = s
    this.c = input.clients[s.client]
    this.verifier = client.randomPKCECodeVerifier()
    this.state = client.randomState()
    this.nonce = client.randomNonce()
    this.callback = null // { url, form } of the authorization response
    this.tokens = null // the last token response
    this.first = null // the first token response of the code
  }

  async init () {
    const { config, rec } = await configure(this.s, this.c, this.c.cert)
    this.config = config
    this.rec = rec
    if (this.c.dpop) {
      this.dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'))
    }
  }

  dpopOpts () { return this.dpop ? { DPoP: this.dpop } : undefined }

  // params are the authorization parameters: PKCE, state and nonce, and
  // the scenario's; a scenario parameter "" leaves that parameter out
  // (and openid-client then expects no state or nonce back).
  async params () {
    const p = {
      redirect_uri: input.redirect_uri,
      scope: 'openid accounts',
      state: this.state,
      nonce: this.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(this.verifier),
      code_challenge_method: 'S256',
      ...(this.s.response === 'form_post' && { response_mode: 'form_post' }),
      ...this.s.params
    }
    for (const [k, v] of Object.entries(p)) {
      if (v === '') delete p[k]
    }
    this.state = p.state
    this.nonce = p.nonce
    return p
  }

  // authorizationURL builds the request as openid-client does by default
  // for the scenario's kind.
  async authorizationURL (config, params, alg, opts) {
    const c = this.c
    switch (this.s.request) {
      case 'plain':
        return client.buildAuthorizationUrl(config, params)
      case 'par':
        return client.buildAuthorizationUrlWithPAR(config, params, opts)
      case 'jar': {
        const url = await client.buildAuthorizationUrlWithJAR(config, params, await signingKey(c, alg))
        for (const [k, v] of Object.entries(this.s.outside || {})) url.searchParams.set(k, v)
        return url
      }
      case 'jar-par': {
        const { searchParams } = await client.buildAuthorizationUrlWithJAR(config, params, await signingKey(c, alg))
        return client.buildAuthorizationUrlWithPAR(config, searchParams, opts)
      }
    }
    throw new Error(`unknown request kind ${this.s.request}`)
  }

  // browse plays the user agent: GET without following redirects.
  async browse (url) {
    const r = await send(url.href, { headers: { accept: 'text/html' } }, agent(''))
    const type = String(r.headers['content-type'] || '')
    if ([301, 302, 303, 307].includes(r.status)) {
      this.callback = { url: r.headers.location }
      const u = new URL(r.headers.location)
      const p = new URLSearchParams(u.hash.length > 1 ? u.hash.slice(1) : u.search)
      return { redirect: u.origin + u.pathname, parameters: [...p.keys()].sort(), iss: p.get('iss') }
    }
    if (r.status === 200 && type.startsWith('text/html')) {
      const page = r.body.toString('utf8')
      const action = /<form method="post" action="([^"]*)">/.exec(page)
      if (action) {
        const form = new URLSearchParams()
        for (const m of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
          form.set(unescapeHTML(m[1]), unescapeHTML(m[2]))
        }
        this.callback = { url: unescapeHTML(action[1]), form }
        return { redirect: this.callback.url, parameters: [...form.keys()].sort(), iss: form.get('iss') }
      }
    }
    const err = new Error(`the authorization endpoint answered ${r.status} ${type}`)
    err.outcome = `page:${r.status}`
    err.detail = r.body.toString('utf8').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400)
    throw err
  }

  // currentURL is the callback as openid-client takes it: the redirect URL,
  // or for form_post a Request as the redirect URI would receive it.
  currentURL () {
    if (!this.callback) throw new Error('no authorization response')
    if (this.callback.form) {
      return new Request(this.callback.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: this.callback.form.toString()
      })
    }
    return new URL(this.callback.url)
  }

  async redeem (verifier = this.verifier, opts = this.dpopOpts()) {
    const before = this.rec.count[this.config.serverMetadata().token_endpoint] || 0
    try {
      return await client.authorizationCodeGrant(this.config, this.currentURL(), {
        pkceCodeVerifier: verifier,
        expectedState: this.state,
        expectedNonce: this.nonce,
        idTokenExpected: true
      }, undefined, opts)
    } finally {
      this.tokenRequests = (this.rec.count[this.config.serverMetadata().token_endpoint] || 0) - before
    }
  }

  facts (tokens) {
    return {
      token_type: tokens.token_type,
      scope: tokens.scope,
      refresh_token: Boolean(tokens.refresh_token),
      id_token: Boolean(tokens.id_token),
      sub: tokens.claims()?.sub
    }
  }

  async resource (config, token, opts) {
    const url = new URL(config.serverMetadata().issuer + '/accounts')
    const res = await client.fetchProtectedResource(config, token, url, 'GET', undefined, undefined, opts)
    const body = await res.json().catch(() => null)
    if (res.status !== 200) {
      const err = new Error(`the resource answered ${res.status}`)
      err.outcome = `status:${res.status}`
      err.detail = JSON.stringify(body)
      throw err
    }
    return { status: res.status, client_id: body?.client_id }
  }

  mutateCallback (fn) {
    if (!this.callback) throw new Error('no authorization response')
    if (this.callback.form) {
      fn(this.callback.form)
      return
    }
    const u = new URL(this.callback.url)
    const frag = u.hash.length > 1
    const params = new URLSearchParams(frag ? u.hash.slice(1) : u.search)
    fn(params)
    if (frag) u.hash = params.toString()
    else u.search = params.toString()
    this.callback.url = u.href
  }

  async step (name) {
    const token = () => this.config.serverMetadata().token_endpoint
    const res = () => this.config.serverMetadata().issuer + '/accounts'
    switch (name) {
      case 'authorize':
        return this.browse(await this.authorizationURL(this.config, await this.params(), 'PS256', this.dpopOpts()))
      case 'token': {
        this.tokens = await this.redeem()
        this.first ||= this.tokens
        return { ...this.facts(this.tokens), token_requests: this.tokenRequests }
      }
      case 'token-again':
        this.tokens = await this.redeem()
        return this.facts(this.tokens)
      case 'token-wrong-verifier':
        this.tokens = await this.redeem(client.randomPKCECodeVerifier())
        return this.facts(this.tokens)
      case 'token-other-dpop-key': {
        const other = client.getDPoPHandle(this.config, await client.randomDPoPKeyPair('ES256'))
        this.tokens = await this.redeem(this.verifier, { DPoP: other })
        return this.facts(this.tokens)
      }
      case 'resource':
        return this.resource(this.config, this.tokens.access_token, this.dpopOpts())
      case 'resource-first-token':
        return this.resource(this.config, this.first.access_token, this.dpopOpts())
      case 'resource-bearer':
        return this.resource(this.config, this.tokens.access_token, undefined)
      case 'resource-other-dpop-key': {
        const other = client.getDPoPHandle(this.config, await client.randomDPoPKeyPair('ES256'))
        return this.resource(this.config, this.tokens.access_token, { DPoP: other })
      }
      case 'resource-replay-proof':
        if (!this.rec.lastProof[res()]) throw new Error('no DPoP proof was sent to the resource yet')
        this.rec.replace[res()] = this.rec.lastProof[res()]
        return this.resource(this.config, this.tokens.access_token, this.dpopOpts())
      case 'resource-other-cert':
      case 'resource-no-cert': {
        const cert = name === 'resource-other-cert' ? this.c.other_cert : ''
        const { config } = await configure(this.s, this.c, cert)
        return this.resource(config, this.tokens.access_token, this.dpopOpts())
      }
      case 'userinfo': {
        const info = await client.fetchUserInfo(this.config, this.tokens.access_token, this.first.claims().sub, this.dpopOpts())
        return { sub: info.sub }
      }
      case 'refresh':
        if (!this.tokens?.refresh_token) throw new Error('no refresh token')
        this.tokens = await client.refreshTokenGrant(this.config, this.tokens.refresh_token, undefined, this.dpopOpts())
        return this.facts(this.tokens)
      case 'refresh-replay-proof':
        if (!this.rec.lastProof[token()]) throw new Error('no DPoP proof was sent to the token endpoint yet')
        this.rec.replace[token()] = this.rec.lastProof[token()]
        this.tokens = await client.refreshTokenGrant(this.config, this.first.refresh_token, undefined, this.dpopOpts())
        return this.facts(this.tokens)
      case 'client-credentials':
        this.tokens = await client.clientCredentialsGrant(this.config, { scope: 'accounts' }, this.dpopOpts())
        return { token_type: this.tokens.token_type, scope: this.tokens.scope, refresh_token: Boolean(this.tokens.refresh_token) }
      case 'par-rs256-assertion': {
        // The same key, announced as RS256 (RSASSA-PKCS1-v1_5).
        const { config } = await configure({ ...this.s, request: 'par' }, this.c, this.c.cert, 'RS256')
        return { url: String(await client.buildAuthorizationUrlWithPAR(config, await this.params(), this.dpopOpts())) }
      }
      case 'client-credentials-rs256-assertion': {
        const { config } = await configure(this.s, this.c, this.c.cert, 'RS256')
        const t = await client.clientCredentialsGrant(config, { scope: 'accounts' })
        return { token_type: t.token_type }
      }
      case 'authorize-rs256-request-object':
        return this.browse(await this.authorizationURL(this.config, await this.params(), 'RS256', this.dpopOpts()))
      case 'tamper-jarm':
        // Change the code inside the signed response and keep the
        // signature: only a client that verifies it notices.
        this.mutateCallback((p) => {
          const [h, payload, sig] = p.get('response').split('.')
          const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
          claims.code = 'attacker-' + claims.code
          p.set('response', [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.'))
        })
        return {}
      case 'strip-iss':
        this.mutateCallback((p) => p.delete('iss'))
        return {}
      case 'wrong-iss':
        this.mutateCallback((p) => p.set('iss', 'https://attacker.example.com'))
        return {}
    }
    throw new Error(`unknown step ${name}`)
  }
}

function unescapeHTML (s) {
  return s.replace(/&(#39|#34|quot|amp|lt|gt|apos);/g, (_, e) => ({ '#39': "'", '#34': '"', quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" })[e])
}

const out = {}
for (const s of input.scenarios) {
  const results = []
  out[s.name] = results
  const run = new Run(s)
  try {
    await run.init()
  } catch (err) {
    results.push({ step: 'discovery', ...describe(err) })
    continue
  }
  for (const name of s.steps) {
    try {
      const facts = await run.step(name)
      results.push({ step: name, outcome: 'ok', facts })
    } catch (err) {
      if (err.outcome) {
        results.push({ step: name, outcome: err.outcome, detail: err.detail })
      } else {
        results.push({ step: name, ...describe(err), ...(name === 'token' && { facts: { token_requests: run.tokenRequests } }) })
      }
    }
  }
}
process.stdout.write(JSON.stringify(out) + '\n')
for (const a of agents.values()) a.destroy()
