package keysize

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"
	"strconv"
)

// Minimum key sizes, in bits, required by the FAPI profiles.
const (
	// MinRSAFAPI1 is the smallest RSA modulus FAPI 1.0 allows
	// (FAPI-R-5.2.2-5, FAPI1-BASE-5.2.2-5).
	MinRSAFAPI1 = 2048
	// MinECFAPI1 is the smallest elliptic curve key FAPI 1.0 allows
	// (FAPI-R-5.2.2-6, FAPI1-BASE-5.2.2-6).
	MinECFAPI1 = 160
	// MinRSAFAPI2 is the smallest RSA modulus the FAPI 2.0 Security
	// Profile allows (FAPI2-SP-5.4.1-2).
	MinRSAFAPI2 = 2048
	// MinECFAPI2 is the smallest elliptic curve key the FAPI 2.0 Security
	// Profile allows (FAPI2-SP-5.4.1-3).
	MinECFAPI2 = 224
)

// Kind is the kind of a public key, as reported by [Bits] and carried by
// every error of [Check] about a supported key type ([TooSmallError],
// [KeyError]), so that a caller can cite the RSA or the elliptic curve
// clause of a profile (FAPI-R-5.2.2-5 or -6, FAPI1-BASE-5.2.2-5 or -6,
// FAPI2-SP-5.4.1-2 or -3) without reading an error's text. Its values are
// the JWK "kty" values of the corresponding keys (RFC 7518 §6.1, RFC 8037
// §2).
type Kind string

// The key kinds.
const (
	// KindRSA is an RSA key (RFC 7518 §6.3), held to the RSA minimum.
	KindRSA Kind = "RSA"
	// KindEC is an ECDSA key on P-256, P-384 or P-521 (RFC 7518 §6.2),
	// held to the elliptic curve minimum.
	KindEC Kind = "EC"
	// KindOKP is an Ed25519 key (RFC 8037 §2), held to the elliptic curve
	// minimum.
	KindOKP Kind = "OKP"
)

// KindOf returns the key kind carried by err or by an error it wraps — a
// [*TooSmallError] or a [*KeyError] — and "" when there is none (a private
// key or a value of an unsupported type, or an error from elsewhere).
func KindOf(err error) Kind {
	var tooSmall *TooSmallError
	if errors.As(err, &tooSmall) {
		return tooSmall.Kind
	}
	var keyErr *KeyError
	if errors.As(err, &keyErr) {
		return keyErr.Kind
	}
	return ""
}

// Minimums are the smallest acceptable key sizes in bits. A zero or
// negative field imposes no minimum for that kind of key; [Check] still
// applies its structural checks. Ed25519 ("OKP") keys are compared with
// EC.
type Minimums struct {
	// RSA is the smallest acceptable RSA modulus, in bits.
	RSA int
	// EC is the smallest acceptable elliptic curve field size, in bits.
	EC int
}

// FAPI1Minimums returns the key size minimums of FAPI 1.0, Implementer's
// Draft 2 and Final: RSA 2048 bits (FAPI-R-5.2.2-5, FAPI1-BASE-5.2.2-5)
// and elliptic curve 160 bits (FAPI-R-5.2.2-6, FAPI1-BASE-5.2.2-6).
func FAPI1Minimums() Minimums {
	return Minimums{RSA: MinRSAFAPI1, EC: MinECFAPI1}
}

// FAPI2Minimums returns the key size minimums of the FAPI 2.0 Security
// Profile (Final): RSA 2048 bits (FAPI2-SP-5.4.1-2) and elliptic curve 224
// bits (FAPI2-SP-5.4.1-3).
func FAPI2Minimums() Minimums {
	return Minimums{RSA: MinRSAFAPI2, EC: MinECFAPI2}
}

// Sentinel errors. Every error this package returns matches exactly one of
// them with [errors.Is]: [ErrTooSmall] as a [*TooSmallError], the others
// as a [*KeyError].
var (
	// ErrTooSmall means a key is smaller than the applicable minimum
	// (FAPI-R-5.2.2-5/-6, FAPI1-BASE-5.2.2-5/-6, FAPI2-SP-5.4.1-2/-3).
	// Errors matching it can be inspected with [errors.As] as a
	// [*TooSmallError].
	ErrTooSmall = errors.New("keysize: key is smaller than the required minimum")
	// ErrUnsupportedKey means the value is not a supported public key:
	// not an RSA, ECDSA or Ed25519 public key, a private key, or an ECDSA
	// key on a curve other than P-256, P-384 and P-521.
	ErrUnsupportedKey = errors.New("keysize: unsupported key type")
	// ErrInvalidKey means the value is a supported key type but is
	// malformed or structurally unsafe, so its size is meaningless.
	ErrInvalidKey = errors.New("keysize: invalid public key")
)

// TooSmallError reports a key smaller than the required minimum
// (FAPI-R-5.2.2-5/-6, FAPI1-BASE-5.2.2-5/-6, FAPI2-SP-5.4.1-2/-3). It
// matches [ErrTooSmall] with [errors.Is].
type TooSmallError struct {
	// Kind is the key kind: [KindRSA], [KindEC] or [KindOKP].
	Kind Kind
	// Bits is the size of the key.
	Bits int
	// Min is the minimum it failed to meet.
	Min int
}

// Error describes the key kind, its size and the minimum.
func (e *TooSmallError) Error() string {
	return "keysize: " + string(e.Kind) + " key has " + strconv.Itoa(e.Bits) +
		" bits, minimum is " + strconv.Itoa(e.Min)
}

// Is reports whether target is [ErrTooSmall].
func (e *TooSmallError) Is(target error) bool {
	return target == ErrTooSmall
}

// KeyError reports a value that is not a supported, well-formed public key
// (FAPI-R-5.2.2-5/-6, FAPI1-BASE-5.2.2-5/-6, FAPI2-SP-5.4.1-2/-3 constrain
// only keys whose size means something). It matches its Err, [ErrInvalidKey]
// or [ErrUnsupportedKey], with [errors.Is].
type KeyError struct {
	// Kind is the key kind, or "" when the value is a private key or not
	// of a supported type.
	Kind Kind
	// Err is [ErrInvalidKey] or [ErrUnsupportedKey].
	Err error
	// Detail says what is wrong, naming the kind and the value seen.
	Detail string
}

// Error returns the sentinel's message followed by the detail.
func (e *KeyError) Error() string { return e.Err.Error() + ": " + e.Detail }

// Unwrap returns the sentinel, [ErrInvalidKey] or [ErrUnsupportedKey].
func (e *KeyError) Unwrap() error { return e.Err }

// publicKey is a supported public key, normalised to one pointer or slice.
type publicKey struct {
	kind Kind
	rsa  *rsa.PublicKey
	ec   *ecdsa.PublicKey
	ed   ed25519.PublicKey
}

func invalid(kind Kind, reason string) error {
	return &KeyError{Kind: kind, Err: ErrInvalidKey, Detail: string(kind) + " key: " + reason}
}

func unsupported(kind Kind, format string, args ...any) error {
	return &KeyError{Kind: kind, Err: ErrUnsupportedKey, Detail: fmt.Sprintf(format, args...)}
}

// classify normalises pub without inspecting its contents.
func classify(pub crypto.PublicKey) (publicKey, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k == nil {
			return publicKey{kind: KindRSA}, invalid(KindRSA, "nil *rsa.PublicKey")
		}
		return publicKey{kind: KindRSA, rsa: k}, nil
	case rsa.PublicKey:
		return publicKey{kind: KindRSA, rsa: &k}, nil
	case *ecdsa.PublicKey:
		if k == nil {
			return publicKey{kind: KindEC}, invalid(KindEC, "nil *ecdsa.PublicKey")
		}
		return publicKey{kind: KindEC, ec: k}, nil
	case ecdsa.PublicKey:
		return publicKey{kind: KindEC, ec: &k}, nil
	case ed25519.PublicKey:
		return publicKey{kind: KindOKP, ed: k}, nil
	case *rsa.PrivateKey, rsa.PrivateKey, *ecdsa.PrivateKey, ecdsa.PrivateKey, ed25519.PrivateKey:
		return publicKey{}, unsupported("", "%T is a private key, pass its public key", pub)
	default:
		return publicKey{}, unsupported("", "%T", pub)
	}
}

// size returns the key size in bits, or ErrInvalidKey if it has none.
func (k publicKey) size() (int, error) {
	switch k.kind {
	case KindRSA:
		if k.rsa.N == nil || k.rsa.N.Sign() <= 0 {
			return 0, invalid(KindRSA, "modulus is missing or not positive")
		}
		return k.rsa.N.BitLen(), nil
	case KindEC:
		if k.ec.Curve == nil {
			return 0, invalid(KindEC, "curve is nil")
		}
		params := k.ec.Curve.Params()
		if params == nil || params.BitSize <= 0 {
			return 0, invalid(KindEC, "curve has no parameters")
		}
		return params.BitSize, nil
	default: // KindOKP
		if len(k.ed) != ed25519.PublicKeySize {
			return 0, invalid(KindOKP, "Ed25519 public key is "+strconv.Itoa(len(k.ed))+" bytes, want "+strconv.Itoa(ed25519.PublicKeySize))
		}
		return 256, nil
	}
}

// Bits reports the kind and size of a public key:
//
//   - *rsa.PublicKey or rsa.PublicKey: [KindRSA] and the bit length of
//     the modulus;
//   - *ecdsa.PublicKey or ecdsa.PublicKey: [KindEC] and the curve's field
//     size, Curve.Params().BitSize (256 for P-256, 384 for P-384, 521 for
//     P-521);
//   - ed25519.PublicKey of 32 bytes: [KindOKP] and 256.
//
// These are the sizes FAPI-R-5.2.2-5/-6, FAPI1-BASE-5.2.2-5/-6 and
// FAPI2-SP-5.4.1-2/-3 constrain. Bits does not check that the key is
// otherwise valid or that its curve is supported; [Check] does.
//
// A nil pointer of a supported type, an RSA key without a positive
// modulus, an ECDSA key without a curve and an Ed25519 key of the wrong
// length yield an error matching [ErrInvalidKey], with kind set. Private
// keys (*rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey and their
// values) and every other type, including nil and *ecdh.PublicKey, yield
// an error matching [ErrUnsupportedKey] and an empty kind.
func Bits(pub crypto.PublicKey) (kind Kind, bits int, err error) {
	k, err := classify(pub)
	if err != nil {
		return k.kind, 0, err
	}
	bits, err = k.size()
	if err != nil {
		return k.kind, 0, err
	}
	return k.kind, bits, nil
}

// maxRSAExponent is the largest public exponent accepted, as in
// crypto/rsa.
const maxRSAExponent = 1<<31 - 1

func checkRSA(k *rsa.PublicKey) error {
	switch {
	case k.N.Bit(0) == 0:
		return invalid(KindRSA, "modulus is even")
	case k.E < 3:
		return invalid(KindRSA, "public exponent "+strconv.Itoa(k.E)+" is less than 3")
	case k.E&1 == 0:
		return invalid(KindRSA, "public exponent "+strconv.Itoa(k.E)+" is even")
	case k.E > maxRSAExponent:
		return invalid(KindRSA, "public exponent "+strconv.Itoa(k.E)+" exceeds 2^31-1")
	}
	return nil
}

func checkEC(k *ecdsa.PublicKey) error {
	switch k.Curve {
	case elliptic.P256(), elliptic.P384(), elliptic.P521():
	default:
		return unsupported(KindEC, "EC key on curve %q, want P-256, P-384 or P-521", k.Curve.Params().Name)
	}
	if k.X == nil || k.Y == nil {
		return invalid(KindEC, "missing coordinates")
	}
	// Bytes rejects negative and out-of-range coordinates, the point at
	// infinity and points that are not on the curve, without panicking.
	if _, err := k.Bytes(); err != nil {
		return invalid(KindEC, "point is not on the curve")
	}
	return nil
}

// Check returns nil if pub is a well-formed, supported public key at least
// as large as minimum, enforcing FAPI-R-5.2.2-5/-6, FAPI1-BASE-5.2.2-5/-6 and
// FAPI2-SP-5.4.1-2/-3 when given [FAPI1Minimums] or [FAPI2Minimums].
//
// Key types and sizes are determined as by [Bits]; RSA keys are compared
// with minimum.RSA, ECDSA and Ed25519 keys with minimum.EC. A key below its
// minimum yields a [*TooSmallError], which matches [ErrTooSmall].
//
// Before comparing sizes, Check rejects, with an error matching
// [ErrInvalidKey]:
//
//   - RSA keys with a nil, zero, negative or even modulus, or a public
//     exponent below 3, even, or above 2^31-1;
//   - ECDSA keys with a nil curve, nil coordinates, or a point that is not
//     on the curve (including out-of-range coordinates and the point at
//     infinity);
//   - Ed25519 keys that are not 32 bytes long.
//
// ECDSA keys on any curve other than P-256, P-384 and P-521, the curves
// JOSE uses for ES256, ES384 and ES512, yield an error matching
// [ErrUnsupportedKey]; so do private keys and other types, as for [Bits].
// Curves are recognised by identity with [elliptic.P256], [elliptic.P384]
// and [elliptic.P521], not by name.
func Check(pub crypto.PublicKey, minimum Minimums) error {
	k, err := classify(pub)
	if err != nil {
		return err
	}
	bits, err := k.size()
	if err != nil {
		return err
	}
	want := minimum.EC
	switch k.kind {
	case KindRSA:
		want = minimum.RSA
		err = checkRSA(k.rsa)
	case KindEC:
		err = checkEC(k.ec)
	}
	if err != nil {
		return err
	}
	if bits < want {
		return &TooSmallError{Kind: k.kind, Bits: bits, Min: want}
	}
	return nil
}
