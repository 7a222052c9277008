pub use root::*;

const _: () = ::planus::check_version_compatibility("planus-1.3.0");

/// The root namespace
///
/// Generated from these locations:
/// * File `schema/payments.fbs`
#[no_implicit_prelude]
#[allow(clippy::needless_lifetimes)]
mod root {
    /// The namespace `payments`
    ///
    /// Generated from these locations:
    /// * File `schema/payments.fbs`
    pub mod payments {
        /// The table `Reading` in the namespace `payments`
        ///
        /// Generated from these locations:
        /// * Table `Reading` in the file `schema/payments.fbs:6`
        #[derive(Clone, Debug, PartialEq, PartialOrd, ::serde::Serialize, ::serde::Deserialize)]
        pub struct Reading {
            /// The field `sensor_id` in the table `Reading`
            pub sensor_id: ::core::option::Option<::planus::alloc::string::String>,
            /// The field `celsius` in the table `Reading`
            pub celsius: f64,
            /// The field `humidity_percent` in the table `Reading`
            pub humidity_percent: u8,
            /// The field `taken_at_ms` in the table `Reading`
            pub taken_at_ms: u64,
        }

        #[allow(clippy::derivable_impls)]
        impl ::core::default::Default for Reading {
            fn default() -> Self {
                Self {
                    sensor_id: ::core::default::Default::default(),
                    celsius: 0.0,
                    humidity_percent: 0,
                    taken_at_ms: 0,
                }
            }
        }

        impl Reading {
            /// Creates a [ReadingBuilder] for serializing an instance of this table.
            #[inline]
            pub fn builder() -> ReadingBuilder<()> {
                ReadingBuilder(())
            }

            #[allow(clippy::too_many_arguments)]
            pub fn create(
                builder: &mut ::planus::Builder,
                field_sensor_id: impl ::planus::WriteAsOptional<
                    ::planus::Offset<::core::primitive::str>,
                >,
                field_celsius: impl ::planus::WriteAsDefault<f64, f64>,
                field_humidity_percent: impl ::planus::WriteAsDefault<u8, u8>,
                field_taken_at_ms: impl ::planus::WriteAsDefault<u64, u64>,
            ) -> ::planus::Offset<Self> {
                let prepared_sensor_id = field_sensor_id.prepare(builder);
                let prepared_celsius = field_celsius.prepare(builder, &0.0);
                let prepared_humidity_percent = field_humidity_percent.prepare(builder, &0);
                let prepared_taken_at_ms = field_taken_at_ms.prepare(builder, &0);

                let mut table_writer: ::planus::table_writer::TableWriter<12> =
                    ::core::default::Default::default();
                if prepared_celsius.is_some() {
                    table_writer.write_entry::<f64>(1);
                }
                if prepared_taken_at_ms.is_some() {
                    table_writer.write_entry::<u64>(3);
                }
                if prepared_sensor_id.is_some() {
                    table_writer.write_entry::<::planus::Offset<str>>(0);
                }
                if prepared_humidity_percent.is_some() {
                    table_writer.write_entry::<u8>(2);
                }

                unsafe {
                    table_writer.finish(builder, |object_writer| {
                        if let ::core::option::Option::Some(prepared_celsius) = prepared_celsius {
                            object_writer.write::<_, _, 8>(&prepared_celsius);
                        }
                        if let ::core::option::Option::Some(prepared_taken_at_ms) =
                            prepared_taken_at_ms
                        {
                            object_writer.write::<_, _, 8>(&prepared_taken_at_ms);
                        }
                        if let ::core::option::Option::Some(prepared_sensor_id) = prepared_sensor_id
                        {
                            object_writer.write::<_, _, 4>(&prepared_sensor_id);
                        }
                        if let ::core::option::Option::Some(prepared_humidity_percent) =
                            prepared_humidity_percent
                        {
                            object_writer.write::<_, _, 1>(&prepared_humidity_percent);
                        }
                    });
                }
                builder.current_offset()
            }
        }

        impl ::planus::WriteAs<::planus::Offset<Reading>> for Reading {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Reading> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl ::planus::WriteAsOptional<::planus::Offset<Reading>> for Reading {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<Reading>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl ::planus::WriteAsOffset<Reading> for Reading {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Reading> {
                Reading::create(
                    builder,
                    &self.sensor_id,
                    self.celsius,
                    self.humidity_percent,
                    self.taken_at_ms,
                )
            }
        }

        /// Builder for serializing an instance of the [Reading] type.
        ///
        /// Can be created using the [Reading::builder] method.
        #[derive(Debug)]
        #[must_use]
        pub struct ReadingBuilder<State>(State);

        impl ReadingBuilder<()> {
            /// Setter for the [`sensor_id` field](Reading#structfield.sensor_id).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn sensor_id<T0>(self, value: T0) -> ReadingBuilder<(T0,)>
            where
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                ReadingBuilder((value,))
            }

            /// Sets the [`sensor_id` field](Reading#structfield.sensor_id) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn sensor_id_as_null(self) -> ReadingBuilder<((),)> {
                self.sensor_id(())
            }
        }

        impl<T0> ReadingBuilder<(T0,)> {
            /// Setter for the [`celsius` field](Reading#structfield.celsius).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn celsius<T1>(self, value: T1) -> ReadingBuilder<(T0, T1)>
            where
                T1: ::planus::WriteAsDefault<f64, f64>,
            {
                let (v0,) = self.0;
                ReadingBuilder((v0, value))
            }

            /// Sets the [`celsius` field](Reading#structfield.celsius) to the default value.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn celsius_as_default(self) -> ReadingBuilder<(T0, ::planus::DefaultValue)> {
                self.celsius(::planus::DefaultValue)
            }
        }

        impl<T0, T1> ReadingBuilder<(T0, T1)> {
            /// Setter for the [`humidity_percent` field](Reading#structfield.humidity_percent).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn humidity_percent<T2>(self, value: T2) -> ReadingBuilder<(T0, T1, T2)>
            where
                T2: ::planus::WriteAsDefault<u8, u8>,
            {
                let (v0, v1) = self.0;
                ReadingBuilder((v0, v1, value))
            }

            /// Sets the [`humidity_percent` field](Reading#structfield.humidity_percent) to the default value.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn humidity_percent_as_default(
                self,
            ) -> ReadingBuilder<(T0, T1, ::planus::DefaultValue)> {
                self.humidity_percent(::planus::DefaultValue)
            }
        }

        impl<T0, T1, T2> ReadingBuilder<(T0, T1, T2)> {
            /// Setter for the [`taken_at_ms` field](Reading#structfield.taken_at_ms).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn taken_at_ms<T3>(self, value: T3) -> ReadingBuilder<(T0, T1, T2, T3)>
            where
                T3: ::planus::WriteAsDefault<u64, u64>,
            {
                let (v0, v1, v2) = self.0;
                ReadingBuilder((v0, v1, v2, value))
            }

            /// Sets the [`taken_at_ms` field](Reading#structfield.taken_at_ms) to the default value.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn taken_at_ms_as_default(
                self,
            ) -> ReadingBuilder<(T0, T1, T2, ::planus::DefaultValue)> {
                self.taken_at_ms(::planus::DefaultValue)
            }
        }

        impl<T0, T1, T2, T3> ReadingBuilder<(T0, T1, T2, T3)> {
            /// Finish writing the builder to get an [Offset](::planus::Offset) to a serialized [Reading].
            #[inline]
            pub fn finish(self, builder: &mut ::planus::Builder) -> ::planus::Offset<Reading>
            where
                Self: ::planus::WriteAsOffset<Reading>,
            {
                ::planus::WriteAsOffset::prepare(&self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<f64, f64>,
                T2: ::planus::WriteAsDefault<u8, u8>,
                T3: ::planus::WriteAsDefault<u64, u64>,
            > ::planus::WriteAs<::planus::Offset<Reading>> for ReadingBuilder<(T0, T1, T2, T3)>
        {
            type Prepared = ::planus::Offset<Reading>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Reading> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<f64, f64>,
                T2: ::planus::WriteAsDefault<u8, u8>,
                T3: ::planus::WriteAsDefault<u64, u64>,
            > ::planus::WriteAsOptional<::planus::Offset<Reading>>
            for ReadingBuilder<(T0, T1, T2, T3)>
        {
            type Prepared = ::planus::Offset<Reading>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<Reading>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<f64, f64>,
                T2: ::planus::WriteAsDefault<u8, u8>,
                T3: ::planus::WriteAsDefault<u64, u64>,
            > ::planus::WriteAsOffset<Reading> for ReadingBuilder<(T0, T1, T2, T3)>
        {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Reading> {
                let (v0, v1, v2, v3) = &self.0;
                Reading::create(builder, v0, v1, v2, v3)
            }
        }

        /// Reference to a deserialized [Reading].
        #[derive(Copy, Clone)]
        pub struct ReadingRef<'a>(#[allow(dead_code)] ::planus::table_reader::Table<'a>);

        impl<'a> ReadingRef<'a> {
            /// Getter for the [`sensor_id` field](Reading#structfield.sensor_id).
            #[inline]
            pub fn sensor_id(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(0, "Reading", "sensor_id")
            }

            /// Getter for the [`celsius` field](Reading#structfield.celsius).
            #[inline]
            pub fn celsius(&self) -> ::planus::Result<f64> {
                ::core::result::Result::Ok(self.0.access(1, "Reading", "celsius")?.unwrap_or(0.0))
            }

            /// Getter for the [`humidity_percent` field](Reading#structfield.humidity_percent).
            #[inline]
            pub fn humidity_percent(&self) -> ::planus::Result<u8> {
                ::core::result::Result::Ok(
                    self.0
                        .access(2, "Reading", "humidity_percent")?
                        .unwrap_or(0),
                )
            }

            /// Getter for the [`taken_at_ms` field](Reading#structfield.taken_at_ms).
            #[inline]
            pub fn taken_at_ms(&self) -> ::planus::Result<u64> {
                ::core::result::Result::Ok(self.0.access(3, "Reading", "taken_at_ms")?.unwrap_or(0))
            }
        }

        impl<'a> ::core::fmt::Debug for ReadingRef<'a> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut f = f.debug_struct("ReadingRef");
                if let ::core::option::Option::Some(field_sensor_id) = self.sensor_id().transpose()
                {
                    f.field("sensor_id", &field_sensor_id);
                }
                f.field("celsius", &self.celsius());
                f.field("humidity_percent", &self.humidity_percent());
                f.field("taken_at_ms", &self.taken_at_ms());
                f.finish()
            }
        }

        impl<'a> ::core::convert::TryFrom<ReadingRef<'a>> for Reading {
            type Error = ::planus::Error;

            #[allow(unreachable_code)]
            fn try_from(value: ReadingRef<'a>) -> ::planus::Result<Self> {
                ::core::result::Result::Ok(Self {
                    sensor_id: value.sensor_id()?.map(::core::convert::Into::into),
                    celsius: ::core::convert::TryInto::try_into(value.celsius()?)?,
                    humidity_percent: ::core::convert::TryInto::try_into(
                        value.humidity_percent()?,
                    )?,
                    taken_at_ms: ::core::convert::TryInto::try_into(value.taken_at_ms()?)?,
                })
            }
        }

        impl<'a> ::planus::TableRead<'a> for ReadingRef<'a> {
            #[inline]
            fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::core::result::Result<Self, ::planus::errors::ErrorKind> {
                ::core::result::Result::Ok(Self(::planus::table_reader::Table::from_buffer(
                    buffer, offset,
                )?))
            }
        }

        impl<'a> ::planus::VectorReadInner<'a> for ReadingRef<'a> {
            type Error = ::planus::Error;
            const STRIDE: usize = 4;

            unsafe fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(buffer, offset).map_err(|error_kind| {
                    error_kind.with_error_location("[ReadingRef]", "get", buffer.offset_from_start)
                })
            }
        }

        /// # Safety
        /// The planus compiler generates implementations that initialize
        /// the bytes in `write_values`.
        unsafe impl ::planus::VectorWrite<::planus::Offset<Reading>> for Reading {
            type Value = ::planus::Offset<Reading>;
            const STRIDE: usize = 4;
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> Self::Value {
                ::planus::WriteAs::prepare(self, builder)
            }

            #[inline]
            unsafe fn write_values(
                values: &[::planus::Offset<Reading>],
                bytes: *mut ::core::mem::MaybeUninit<u8>,
                buffer_position: u32,
            ) {
                let bytes = bytes as *mut [::core::mem::MaybeUninit<u8>; 4];
                for (i, v) in ::core::iter::Iterator::enumerate(values.iter()) {
                    ::planus::WriteAsPrimitive::write(
                        v,
                        ::planus::Cursor::new(unsafe { &mut *bytes.add(i) }),
                        buffer_position - (Self::STRIDE * i) as u32,
                    );
                }
            }
        }

        impl<'a> ::planus::ReadAsRoot<'a> for ReadingRef<'a> {
            fn read_as_root(slice: &'a [u8]) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(
                    ::planus::SliceWithStartOffset {
                        buffer: slice,
                        offset_from_start: 0,
                    },
                    0,
                )
                .map_err(|error_kind| {
                    error_kind.with_error_location("[ReadingRef]", "read_as_root", 0)
                })
            }
        }

        /// The table `Charge` in the namespace `payments`
        ///
        /// Generated from these locations:
        /// * Table `Charge` in the file `schema/payments.fbs:13`
        #[derive(
            Clone,
            Debug,
            PartialEq,
            PartialOrd,
            Eq,
            Ord,
            Hash,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        pub struct Charge {
            /// The field `charge_id` in the table `Charge`
            pub charge_id: ::core::option::Option<::planus::alloc::string::String>,
            /// The field `amount_cents` in the table `Charge`
            pub amount_cents: i64,
            /// The field `currency` in the table `Charge`
            pub currency: ::core::option::Option<::planus::alloc::string::String>,
        }

        #[allow(clippy::derivable_impls)]
        impl ::core::default::Default for Charge {
            fn default() -> Self {
                Self {
                    charge_id: ::core::default::Default::default(),
                    amount_cents: 0,
                    currency: ::core::default::Default::default(),
                }
            }
        }

        impl Charge {
            /// Creates a [ChargeBuilder] for serializing an instance of this table.
            #[inline]
            pub fn builder() -> ChargeBuilder<()> {
                ChargeBuilder(())
            }

            #[allow(clippy::too_many_arguments)]
            pub fn create(
                builder: &mut ::planus::Builder,
                field_charge_id: impl ::planus::WriteAsOptional<
                    ::planus::Offset<::core::primitive::str>,
                >,
                field_amount_cents: impl ::planus::WriteAsDefault<i64, i64>,
                field_currency: impl ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            ) -> ::planus::Offset<Self> {
                let prepared_charge_id = field_charge_id.prepare(builder);
                let prepared_amount_cents = field_amount_cents.prepare(builder, &0);
                let prepared_currency = field_currency.prepare(builder);

                let mut table_writer: ::planus::table_writer::TableWriter<10> =
                    ::core::default::Default::default();
                if prepared_amount_cents.is_some() {
                    table_writer.write_entry::<i64>(1);
                }
                if prepared_charge_id.is_some() {
                    table_writer.write_entry::<::planus::Offset<str>>(0);
                }
                if prepared_currency.is_some() {
                    table_writer.write_entry::<::planus::Offset<str>>(2);
                }

                unsafe {
                    table_writer.finish(builder, |object_writer| {
                        if let ::core::option::Option::Some(prepared_amount_cents) =
                            prepared_amount_cents
                        {
                            object_writer.write::<_, _, 8>(&prepared_amount_cents);
                        }
                        if let ::core::option::Option::Some(prepared_charge_id) = prepared_charge_id
                        {
                            object_writer.write::<_, _, 4>(&prepared_charge_id);
                        }
                        if let ::core::option::Option::Some(prepared_currency) = prepared_currency {
                            object_writer.write::<_, _, 4>(&prepared_currency);
                        }
                    });
                }
                builder.current_offset()
            }
        }

        impl ::planus::WriteAs<::planus::Offset<Charge>> for Charge {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Charge> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl ::planus::WriteAsOptional<::planus::Offset<Charge>> for Charge {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<Charge>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl ::planus::WriteAsOffset<Charge> for Charge {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Charge> {
                Charge::create(builder, &self.charge_id, self.amount_cents, &self.currency)
            }
        }

        /// Builder for serializing an instance of the [Charge] type.
        ///
        /// Can be created using the [Charge::builder] method.
        #[derive(Debug)]
        #[must_use]
        pub struct ChargeBuilder<State>(State);

        impl ChargeBuilder<()> {
            /// Setter for the [`charge_id` field](Charge#structfield.charge_id).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn charge_id<T0>(self, value: T0) -> ChargeBuilder<(T0,)>
            where
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                ChargeBuilder((value,))
            }

            /// Sets the [`charge_id` field](Charge#structfield.charge_id) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn charge_id_as_null(self) -> ChargeBuilder<((),)> {
                self.charge_id(())
            }
        }

        impl<T0> ChargeBuilder<(T0,)> {
            /// Setter for the [`amount_cents` field](Charge#structfield.amount_cents).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn amount_cents<T1>(self, value: T1) -> ChargeBuilder<(T0, T1)>
            where
                T1: ::planus::WriteAsDefault<i64, i64>,
            {
                let (v0,) = self.0;
                ChargeBuilder((v0, value))
            }

            /// Sets the [`amount_cents` field](Charge#structfield.amount_cents) to the default value.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn amount_cents_as_default(self) -> ChargeBuilder<(T0, ::planus::DefaultValue)> {
                self.amount_cents(::planus::DefaultValue)
            }
        }

        impl<T0, T1> ChargeBuilder<(T0, T1)> {
            /// Setter for the [`currency` field](Charge#structfield.currency).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn currency<T2>(self, value: T2) -> ChargeBuilder<(T0, T1, T2)>
            where
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                let (v0, v1) = self.0;
                ChargeBuilder((v0, v1, value))
            }

            /// Sets the [`currency` field](Charge#structfield.currency) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn currency_as_null(self) -> ChargeBuilder<(T0, T1, ())> {
                self.currency(())
            }
        }

        impl<T0, T1, T2> ChargeBuilder<(T0, T1, T2)> {
            /// Finish writing the builder to get an [Offset](::planus::Offset) to a serialized [Charge].
            #[inline]
            pub fn finish(self, builder: &mut ::planus::Builder) -> ::planus::Offset<Charge>
            where
                Self: ::planus::WriteAsOffset<Charge>,
            {
                ::planus::WriteAsOffset::prepare(&self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<i64, i64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAs<::planus::Offset<Charge>> for ChargeBuilder<(T0, T1, T2)>
        {
            type Prepared = ::planus::Offset<Charge>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Charge> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<i64, i64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAsOptional<::planus::Offset<Charge>> for ChargeBuilder<(T0, T1, T2)>
        {
            type Prepared = ::planus::Offset<Charge>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<Charge>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<i64, i64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAsOffset<Charge> for ChargeBuilder<(T0, T1, T2)>
        {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Charge> {
                let (v0, v1, v2) = &self.0;
                Charge::create(builder, v0, v1, v2)
            }
        }

        /// Reference to a deserialized [Charge].
        #[derive(Copy, Clone)]
        pub struct ChargeRef<'a>(#[allow(dead_code)] ::planus::table_reader::Table<'a>);

        impl<'a> ChargeRef<'a> {
            /// Getter for the [`charge_id` field](Charge#structfield.charge_id).
            #[inline]
            pub fn charge_id(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(0, "Charge", "charge_id")
            }

            /// Getter for the [`amount_cents` field](Charge#structfield.amount_cents).
            #[inline]
            pub fn amount_cents(&self) -> ::planus::Result<i64> {
                ::core::result::Result::Ok(self.0.access(1, "Charge", "amount_cents")?.unwrap_or(0))
            }

            /// Getter for the [`currency` field](Charge#structfield.currency).
            #[inline]
            pub fn currency(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(2, "Charge", "currency")
            }
        }

        impl<'a> ::core::fmt::Debug for ChargeRef<'a> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut f = f.debug_struct("ChargeRef");
                if let ::core::option::Option::Some(field_charge_id) = self.charge_id().transpose()
                {
                    f.field("charge_id", &field_charge_id);
                }
                f.field("amount_cents", &self.amount_cents());
                if let ::core::option::Option::Some(field_currency) = self.currency().transpose() {
                    f.field("currency", &field_currency);
                }
                f.finish()
            }
        }

        impl<'a> ::core::convert::TryFrom<ChargeRef<'a>> for Charge {
            type Error = ::planus::Error;

            #[allow(unreachable_code)]
            fn try_from(value: ChargeRef<'a>) -> ::planus::Result<Self> {
                ::core::result::Result::Ok(Self {
                    charge_id: value.charge_id()?.map(::core::convert::Into::into),
                    amount_cents: ::core::convert::TryInto::try_into(value.amount_cents()?)?,
                    currency: value.currency()?.map(::core::convert::Into::into),
                })
            }
        }

        impl<'a> ::planus::TableRead<'a> for ChargeRef<'a> {
            #[inline]
            fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::core::result::Result<Self, ::planus::errors::ErrorKind> {
                ::core::result::Result::Ok(Self(::planus::table_reader::Table::from_buffer(
                    buffer, offset,
                )?))
            }
        }

        impl<'a> ::planus::VectorReadInner<'a> for ChargeRef<'a> {
            type Error = ::planus::Error;
            const STRIDE: usize = 4;

            unsafe fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(buffer, offset).map_err(|error_kind| {
                    error_kind.with_error_location("[ChargeRef]", "get", buffer.offset_from_start)
                })
            }
        }

        /// # Safety
        /// The planus compiler generates implementations that initialize
        /// the bytes in `write_values`.
        unsafe impl ::planus::VectorWrite<::planus::Offset<Charge>> for Charge {
            type Value = ::planus::Offset<Charge>;
            const STRIDE: usize = 4;
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> Self::Value {
                ::planus::WriteAs::prepare(self, builder)
            }

            #[inline]
            unsafe fn write_values(
                values: &[::planus::Offset<Charge>],
                bytes: *mut ::core::mem::MaybeUninit<u8>,
                buffer_position: u32,
            ) {
                let bytes = bytes as *mut [::core::mem::MaybeUninit<u8>; 4];
                for (i, v) in ::core::iter::Iterator::enumerate(values.iter()) {
                    ::planus::WriteAsPrimitive::write(
                        v,
                        ::planus::Cursor::new(unsafe { &mut *bytes.add(i) }),
                        buffer_position - (Self::STRIDE * i) as u32,
                    );
                }
            }
        }

        impl<'a> ::planus::ReadAsRoot<'a> for ChargeRef<'a> {
            fn read_as_root(slice: &'a [u8]) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(
                    ::planus::SliceWithStartOffset {
                        buffer: slice,
                        offset_from_start: 0,
                    },
                    0,
                )
                .map_err(|error_kind| {
                    error_kind.with_error_location("[ChargeRef]", "read_as_root", 0)
                })
            }
        }

        /// The table `Ledger` in the namespace `payments`
        ///
        /// Generated from these locations:
        /// * Table `Ledger` in the file `schema/payments.fbs:19`
        #[derive(
            Clone,
            Debug,
            PartialEq,
            PartialOrd,
            Eq,
            Ord,
            Hash,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        pub struct Ledger {
            /// The field `charges` in the table `Ledger`
            pub charges: ::core::option::Option<::planus::alloc::vec::Vec<self::Charge>>,
        }

        #[allow(clippy::derivable_impls)]
        impl ::core::default::Default for Ledger {
            fn default() -> Self {
                Self {
                    charges: ::core::default::Default::default(),
                }
            }
        }

        impl Ledger {
            /// Creates a [LedgerBuilder] for serializing an instance of this table.
            #[inline]
            pub fn builder() -> LedgerBuilder<()> {
                LedgerBuilder(())
            }

            #[allow(clippy::too_many_arguments)]
            pub fn create(
                builder: &mut ::planus::Builder,
                field_charges: impl ::planus::WriteAsOptional<
                    ::planus::Offset<[::planus::Offset<self::Charge>]>,
                >,
            ) -> ::planus::Offset<Self> {
                let prepared_charges = field_charges.prepare(builder);

                let mut table_writer: ::planus::table_writer::TableWriter<6> =
                    ::core::default::Default::default();
                if prepared_charges.is_some() {
                    table_writer
                        .write_entry::<::planus::Offset<[::planus::Offset<self::Charge>]>>(0);
                }

                unsafe {
                    table_writer.finish(builder, |object_writer| {
                        if let ::core::option::Option::Some(prepared_charges) = prepared_charges {
                            object_writer.write::<_, _, 4>(&prepared_charges);
                        }
                    });
                }
                builder.current_offset()
            }
        }

        impl ::planus::WriteAs<::planus::Offset<Ledger>> for Ledger {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Ledger> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl ::planus::WriteAsOptional<::planus::Offset<Ledger>> for Ledger {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<Ledger>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl ::planus::WriteAsOffset<Ledger> for Ledger {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Ledger> {
                Ledger::create(builder, &self.charges)
            }
        }

        /// Builder for serializing an instance of the [Ledger] type.
        ///
        /// Can be created using the [Ledger::builder] method.
        #[derive(Debug)]
        #[must_use]
        pub struct LedgerBuilder<State>(State);

        impl LedgerBuilder<()> {
            /// Setter for the [`charges` field](Ledger#structfield.charges).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn charges<T0>(self, value: T0) -> LedgerBuilder<(T0,)>
            where
                T0: ::planus::WriteAsOptional<::planus::Offset<[::planus::Offset<self::Charge>]>>,
            {
                LedgerBuilder((value,))
            }

            /// Sets the [`charges` field](Ledger#structfield.charges) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn charges_as_null(self) -> LedgerBuilder<((),)> {
                self.charges(())
            }
        }

        impl<T0> LedgerBuilder<(T0,)> {
            /// Finish writing the builder to get an [Offset](::planus::Offset) to a serialized [Ledger].
            #[inline]
            pub fn finish(self, builder: &mut ::planus::Builder) -> ::planus::Offset<Ledger>
            where
                Self: ::planus::WriteAsOffset<Ledger>,
            {
                ::planus::WriteAsOffset::prepare(&self, builder)
            }
        }

        impl<T0: ::planus::WriteAsOptional<::planus::Offset<[::planus::Offset<self::Charge>]>>>
            ::planus::WriteAs<::planus::Offset<Ledger>> for LedgerBuilder<(T0,)>
        {
            type Prepared = ::planus::Offset<Ledger>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Ledger> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl<T0: ::planus::WriteAsOptional<::planus::Offset<[::planus::Offset<self::Charge>]>>>
            ::planus::WriteAsOptional<::planus::Offset<Ledger>> for LedgerBuilder<(T0,)>
        {
            type Prepared = ::planus::Offset<Ledger>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<Ledger>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl<T0: ::planus::WriteAsOptional<::planus::Offset<[::planus::Offset<self::Charge>]>>>
            ::planus::WriteAsOffset<Ledger> for LedgerBuilder<(T0,)>
        {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<Ledger> {
                let (v0,) = &self.0;
                Ledger::create(builder, v0)
            }
        }

        /// Reference to a deserialized [Ledger].
        #[derive(Copy, Clone)]
        pub struct LedgerRef<'a>(#[allow(dead_code)] ::planus::table_reader::Table<'a>);

        impl<'a> LedgerRef<'a> {
            /// Getter for the [`charges` field](Ledger#structfield.charges).
            #[inline]
            pub fn charges(
                &self,
            ) -> ::planus::Result<
                ::core::option::Option<::planus::Vector<'a, ::planus::Result<self::ChargeRef<'a>>>>,
            > {
                self.0.access(0, "Ledger", "charges")
            }
        }

        impl<'a> ::core::fmt::Debug for LedgerRef<'a> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut f = f.debug_struct("LedgerRef");
                if let ::core::option::Option::Some(field_charges) = self.charges().transpose() {
                    f.field("charges", &field_charges);
                }
                f.finish()
            }
        }

        impl<'a> ::core::convert::TryFrom<LedgerRef<'a>> for Ledger {
            type Error = ::planus::Error;

            #[allow(unreachable_code)]
            fn try_from(value: LedgerRef<'a>) -> ::planus::Result<Self> {
                ::core::result::Result::Ok(Self {
                    charges: if let ::core::option::Option::Some(charges) = value.charges()? {
                        ::core::option::Option::Some(charges.to_vec_result()?)
                    } else {
                        ::core::option::Option::None
                    },
                })
            }
        }

        impl<'a> ::planus::TableRead<'a> for LedgerRef<'a> {
            #[inline]
            fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::core::result::Result<Self, ::planus::errors::ErrorKind> {
                ::core::result::Result::Ok(Self(::planus::table_reader::Table::from_buffer(
                    buffer, offset,
                )?))
            }
        }

        impl<'a> ::planus::VectorReadInner<'a> for LedgerRef<'a> {
            type Error = ::planus::Error;
            const STRIDE: usize = 4;

            unsafe fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(buffer, offset).map_err(|error_kind| {
                    error_kind.with_error_location("[LedgerRef]", "get", buffer.offset_from_start)
                })
            }
        }

        /// # Safety
        /// The planus compiler generates implementations that initialize
        /// the bytes in `write_values`.
        unsafe impl ::planus::VectorWrite<::planus::Offset<Ledger>> for Ledger {
            type Value = ::planus::Offset<Ledger>;
            const STRIDE: usize = 4;
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> Self::Value {
                ::planus::WriteAs::prepare(self, builder)
            }

            #[inline]
            unsafe fn write_values(
                values: &[::planus::Offset<Ledger>],
                bytes: *mut ::core::mem::MaybeUninit<u8>,
                buffer_position: u32,
            ) {
                let bytes = bytes as *mut [::core::mem::MaybeUninit<u8>; 4];
                for (i, v) in ::core::iter::Iterator::enumerate(values.iter()) {
                    ::planus::WriteAsPrimitive::write(
                        v,
                        ::planus::Cursor::new(unsafe { &mut *bytes.add(i) }),
                        buffer_position - (Self::STRIDE * i) as u32,
                    );
                }
            }
        }

        impl<'a> ::planus::ReadAsRoot<'a> for LedgerRef<'a> {
            fn read_as_root(slice: &'a [u8]) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(
                    ::planus::SliceWithStartOffset {
                        buffer: slice,
                        offset_from_start: 0,
                    },
                    0,
                )
                .map_err(|error_kind| {
                    error_kind.with_error_location("[LedgerRef]", "read_as_root", 0)
                })
            }
        }
    }
}
