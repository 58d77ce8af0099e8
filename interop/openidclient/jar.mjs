// Reads {issuer, authorization_endpoint, client_id, private_jwk, params}
// as JSON on standard input and prints the authorization URL openid-client
// builds for them with buildAuthorizationUrlWithJAR, its default way of
// sending a signed request object (RFC 9101) by value.
import * as client from 'openid-client'

const chunks = []
for await (const c of process.stdin) chunks.push(c)
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const config = new client.Configuration(
  { issuer: input.issuer, authorization_endpoint: input.authorization_endpoint },
  input.client_id,
)
const key = await crypto.subtle.importKey(
  'jwk', input.private_jwk, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign'],
)
const url = await client.buildAuthorizationUrlWithJAR(config, input.params, { key, kid: input.private_jwk.kid })
process.stdout.write(url.href + '\n')
