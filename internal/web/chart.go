package web

import (
	"strconv"
	"time"

	"github.com/smartustaz/smartustaz/internal/telemetry"
)

// chart is a bar chart of visits (and a line of visitors) by day, drawn
// as SVG on the server: no script, nothing from another site (the CSP
// forbids both).
type chart struct {
	Width, Height int
	Bars          []chartBar
	Line          string // the points of the visitors' polyline
	Max           int64
	Empty         bool
}

type chartBar struct {
	X, Y, W, H float64
	Title      string
}

func drawChart(series []telemetry.DayCount, from, to string) chart {
	c := chart{Width: 720, Height: 200}
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || len(series) == 0 {
		c.Empty = true
		return c
	}
	days := int(t.Sub(f)/(24*time.Hour)) + 1
	for _, p := range series {
		c.Max = max(c.Max, p.Views, p.Visitors)
	}
	if c.Max == 0 {
		c.Empty = true
		return c
	}
	slot := float64(c.Width) / float64(days)
	h := float64(c.Height - 20)
	var line []byte
	for _, p := range series {
		d, err := time.Parse(time.DateOnly, p.Day)
		if err != nil {
			continue
		}
		i := float64(d.Sub(f) / (24 * time.Hour))
		bh := h * float64(p.Views) / float64(c.Max)
		c.Bars = append(c.Bars, chartBar{X: i*slot + slot*0.1, Y: h - bh + 10, W: slot * 0.8, H: bh,
			Title: p.Day + ": " + strconv.FormatInt(p.Views, 10) + " / " + strconv.FormatInt(p.Visitors, 10)})
		vy := h - h*float64(p.Visitors)/float64(c.Max) + 10
		if len(line) > 0 {
			line = append(line, ' ')
		}
		line = strconv.AppendFloat(line, i*slot+slot/2, 'f', 1, 64)
		line = append(line, ',')
		line = strconv.AppendFloat(line, vy, 'f', 1, 64)
	}
	c.Line = string(line)
	return c
}
