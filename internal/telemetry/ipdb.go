package telemetry

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/oschwald/maxminddb-golang/v2"
)

// IPDB looks up the country and the internet provider (autonomous system)
// of an address in a MaxMind-format database (--ip-db): a GeoLite2 or
// GeoIP2 City/Country, an ASN database, or one that has both (as DB-IP's
// and IPinfo's free files in this format do).
type IPDB struct{ r *maxminddb.Reader }

// OpenIPDB opens the database at path (memory-mapped).
func OpenIPDB(path string) (*IPDB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("telemetry: --ip-db: %w", err)
	}
	return &IPDB{r: r}, nil
}

// Close releases the file.
func (d *IPDB) Close() error {
	if d == nil {
		return nil
	}
	return d.r.Close()
}

// ipRecord is the part of a record read: the fields of the City/Country
// and ASN databases.
type ipRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	ASN uint32 `maxminddb:"autonomous_system_number"`
	Org string `maxminddb:"autonomous_system_organization"`
}

// Lookup returns the country's ISO code and the provider ("AS9198
// JSC Kazakhtelecom"); "" for what the database does not know, and
// for everything when d is nil.
func (d *IPDB) Lookup(a netip.Addr) (country, provider string) {
	if d == nil || !a.IsValid() {
		return "", ""
	}
	var rec ipRecord
	if err := d.r.Lookup(a).Decode(&rec); err != nil {
		return "", ""
	}
	if rec.ASN != 0 {
		provider = "AS" + strconv.FormatUint(uint64(rec.ASN), 10)
		if rec.Org != "" {
			provider += " " + rec.Org
		}
	}
	if len(provider) > 128 {
		provider = provider[:128]
	}
	country = rec.Country.ISOCode
	if len(country) > 3 {
		country = ""
	}
	return country, provider
}
