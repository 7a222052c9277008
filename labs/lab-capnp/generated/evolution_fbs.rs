pub use root::*;

const _: () = ::planus::check_version_compatibility("planus-1.3.0");

/// The root namespace
///
/// Generated from these locations:
/// * File `schema/evolution.fbs`
#[no_implicit_prelude]
#[allow(clippy::needless_lifetimes)]
mod root {
    /// The namespace `evolution`
    ///
    /// Generated from these locations:
    /// * File `schema/evolution.fbs`
    pub mod evolution {
        /// The table `ChargeV2` in the namespace `evolution`
        ///
        /// Generated from these locations:
        /// * Table `ChargeV2` in the file `schema/evolution.fbs:11`
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
        pub struct ChargeV2 {
            /// The field `charge_id` in the table `ChargeV2`
            pub charge_id: ::core::option::Option<::planus::alloc::string::String>,
            /// The field `amount_cents` in the table `ChargeV2`
            pub amount_cents: i64,
            /// The field `currency` in the table `ChargeV2`
            pub currency: ::core::option::Option<::planus::alloc::string::String>,
            /// The field `note` in the table `ChargeV2`
            pub note: ::core::option::Option<::planus::alloc::string::String>,
            /// The field `fee_cents` in the table `ChargeV2`
            pub fee_cents: i64,
        }

        #[allow(clippy::derivable_impls)]
        impl ::core::default::Default for ChargeV2 {
            fn default() -> Self {
                Self {
                    charge_id: ::core::default::Default::default(),
                    amount_cents: 0,
                    currency: ::core::default::Default::default(),
                    note: ::core::default::Default::default(),
                    fee_cents: 25,
                }
            }
        }

        impl ChargeV2 {
            /// Creates a [ChargeV2Builder] for serializing an instance of this table.
            #[inline]
            pub fn builder() -> ChargeV2Builder<()> {
                ChargeV2Builder(())
            }

            #[allow(clippy::too_many_arguments)]
            pub fn create(
                builder: &mut ::planus::Builder,
                field_charge_id: impl ::planus::WriteAsOptional<
                    ::planus::Offset<::core::primitive::str>,
                >,
                field_amount_cents: impl ::planus::WriteAsDefault<i64, i64>,
                field_currency: impl ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                field_note: impl ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                field_fee_cents: impl ::planus::WriteAsDefault<i64, i64>,
            ) -> ::planus::Offset<Self> {
                let prepared_charge_id = field_charge_id.prepare(builder);
                let prepared_amount_cents = field_amount_cents.prepare(builder, &0);
                let prepared_currency = field_currency.prepare(builder);
                let prepared_note = field_note.prepare(builder);
                let prepared_fee_cents = field_fee_cents.prepare(builder, &25);

                let mut table_writer: ::planus::table_writer::TableWriter<14> =
                    ::core::default::Default::default();
                if prepared_amount_cents.is_some() {
                    table_writer.write_entry::<i64>(1);
                }
                if prepared_fee_cents.is_some() {
                    table_writer.write_entry::<i64>(4);
                }
                if prepared_charge_id.is_some() {
                    table_writer.write_entry::<::planus::Offset<str>>(0);
                }
                if prepared_currency.is_some() {
                    table_writer.write_entry::<::planus::Offset<str>>(2);
                }
                if prepared_note.is_some() {
                    table_writer.write_entry::<::planus::Offset<str>>(3);
                }

                unsafe {
                    table_writer.finish(builder, |object_writer| {
                        if let ::core::option::Option::Some(prepared_amount_cents) =
                            prepared_amount_cents
                        {
                            object_writer.write::<_, _, 8>(&prepared_amount_cents);
                        }
                        if let ::core::option::Option::Some(prepared_fee_cents) = prepared_fee_cents
                        {
                            object_writer.write::<_, _, 8>(&prepared_fee_cents);
                        }
                        if let ::core::option::Option::Some(prepared_charge_id) = prepared_charge_id
                        {
                            object_writer.write::<_, _, 4>(&prepared_charge_id);
                        }
                        if let ::core::option::Option::Some(prepared_currency) = prepared_currency {
                            object_writer.write::<_, _, 4>(&prepared_currency);
                        }
                        if let ::core::option::Option::Some(prepared_note) = prepared_note {
                            object_writer.write::<_, _, 4>(&prepared_note);
                        }
                    });
                }
                builder.current_offset()
            }
        }

        impl ::planus::WriteAs<::planus::Offset<ChargeV2>> for ChargeV2 {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeV2> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl ::planus::WriteAsOptional<::planus::Offset<ChargeV2>> for ChargeV2 {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<ChargeV2>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl ::planus::WriteAsOffset<ChargeV2> for ChargeV2 {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeV2> {
                ChargeV2::create(
                    builder,
                    &self.charge_id,
                    self.amount_cents,
                    &self.currency,
                    &self.note,
                    self.fee_cents,
                )
            }
        }

        /// Builder for serializing an instance of the [ChargeV2] type.
        ///
        /// Can be created using the [ChargeV2::builder] method.
        #[derive(Debug)]
        #[must_use]
        pub struct ChargeV2Builder<State>(State);

        impl ChargeV2Builder<()> {
            /// Setter for the [`charge_id` field](ChargeV2#structfield.charge_id).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn charge_id<T0>(self, value: T0) -> ChargeV2Builder<(T0,)>
            where
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                ChargeV2Builder((value,))
            }

            /// Sets the [`charge_id` field](ChargeV2#structfield.charge_id) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn charge_id_as_null(self) -> ChargeV2Builder<((),)> {
                self.charge_id(())
            }
        }

        impl<T0> ChargeV2Builder<(T0,)> {
            /// Setter for the [`amount_cents` field](ChargeV2#structfield.amount_cents).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn amount_cents<T1>(self, value: T1) -> ChargeV2Builder<(T0, T1)>
            where
                T1: ::planus::WriteAsDefault<i64, i64>,
            {
                let (v0,) = self.0;
                ChargeV2Builder((v0, value))
            }

            /// Sets the [`amount_cents` field](ChargeV2#structfield.amount_cents) to the default value.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn amount_cents_as_default(self) -> ChargeV2Builder<(T0, ::planus::DefaultValue)> {
                self.amount_cents(::planus::DefaultValue)
            }
        }

        impl<T0, T1> ChargeV2Builder<(T0, T1)> {
            /// Setter for the [`currency` field](ChargeV2#structfield.currency).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn currency<T2>(self, value: T2) -> ChargeV2Builder<(T0, T1, T2)>
            where
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                let (v0, v1) = self.0;
                ChargeV2Builder((v0, v1, value))
            }

            /// Sets the [`currency` field](ChargeV2#structfield.currency) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn currency_as_null(self) -> ChargeV2Builder<(T0, T1, ())> {
                self.currency(())
            }
        }

        impl<T0, T1, T2> ChargeV2Builder<(T0, T1, T2)> {
            /// Setter for the [`note` field](ChargeV2#structfield.note).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn note<T3>(self, value: T3) -> ChargeV2Builder<(T0, T1, T2, T3)>
            where
                T3: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                let (v0, v1, v2) = self.0;
                ChargeV2Builder((v0, v1, v2, value))
            }

            /// Sets the [`note` field](ChargeV2#structfield.note) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn note_as_null(self) -> ChargeV2Builder<(T0, T1, T2, ())> {
                self.note(())
            }
        }

        impl<T0, T1, T2, T3> ChargeV2Builder<(T0, T1, T2, T3)> {
            /// Setter for the [`fee_cents` field](ChargeV2#structfield.fee_cents).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn fee_cents<T4>(self, value: T4) -> ChargeV2Builder<(T0, T1, T2, T3, T4)>
            where
                T4: ::planus::WriteAsDefault<i64, i64>,
            {
                let (v0, v1, v2, v3) = self.0;
                ChargeV2Builder((v0, v1, v2, v3, value))
            }

            /// Sets the [`fee_cents` field](ChargeV2#structfield.fee_cents) to the default value.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn fee_cents_as_default(
                self,
            ) -> ChargeV2Builder<(T0, T1, T2, T3, ::planus::DefaultValue)> {
                self.fee_cents(::planus::DefaultValue)
            }
        }

        impl<T0, T1, T2, T3, T4> ChargeV2Builder<(T0, T1, T2, T3, T4)> {
            /// Finish writing the builder to get an [Offset](::planus::Offset) to a serialized [ChargeV2].
            #[inline]
            pub fn finish(self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeV2>
            where
                Self: ::planus::WriteAsOffset<ChargeV2>,
            {
                ::planus::WriteAsOffset::prepare(&self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<i64, i64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T3: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T4: ::planus::WriteAsDefault<i64, i64>,
            > ::planus::WriteAs<::planus::Offset<ChargeV2>>
            for ChargeV2Builder<(T0, T1, T2, T3, T4)>
        {
            type Prepared = ::planus::Offset<ChargeV2>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeV2> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<i64, i64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T3: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T4: ::planus::WriteAsDefault<i64, i64>,
            > ::planus::WriteAsOptional<::planus::Offset<ChargeV2>>
            for ChargeV2Builder<(T0, T1, T2, T3, T4)>
        {
            type Prepared = ::planus::Offset<ChargeV2>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<ChargeV2>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<i64, i64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T3: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T4: ::planus::WriteAsDefault<i64, i64>,
            > ::planus::WriteAsOffset<ChargeV2> for ChargeV2Builder<(T0, T1, T2, T3, T4)>
        {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeV2> {
                let (v0, v1, v2, v3, v4) = &self.0;
                ChargeV2::create(builder, v0, v1, v2, v3, v4)
            }
        }

        /// Reference to a deserialized [ChargeV2].
        #[derive(Copy, Clone)]
        pub struct ChargeV2Ref<'a>(#[allow(dead_code)] ::planus::table_reader::Table<'a>);

        impl<'a> ChargeV2Ref<'a> {
            /// Getter for the [`charge_id` field](ChargeV2#structfield.charge_id).
            #[inline]
            pub fn charge_id(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(0, "ChargeV2", "charge_id")
            }

            /// Getter for the [`amount_cents` field](ChargeV2#structfield.amount_cents).
            #[inline]
            pub fn amount_cents(&self) -> ::planus::Result<i64> {
                ::core::result::Result::Ok(
                    self.0.access(1, "ChargeV2", "amount_cents")?.unwrap_or(0),
                )
            }

            /// Getter for the [`currency` field](ChargeV2#structfield.currency).
            #[inline]
            pub fn currency(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(2, "ChargeV2", "currency")
            }

            /// Getter for the [`note` field](ChargeV2#structfield.note).
            #[inline]
            pub fn note(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(3, "ChargeV2", "note")
            }

            /// Getter for the [`fee_cents` field](ChargeV2#structfield.fee_cents).
            #[inline]
            pub fn fee_cents(&self) -> ::planus::Result<i64> {
                ::core::result::Result::Ok(self.0.access(4, "ChargeV2", "fee_cents")?.unwrap_or(25))
            }
        }

        impl<'a> ::core::fmt::Debug for ChargeV2Ref<'a> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut f = f.debug_struct("ChargeV2Ref");
                if let ::core::option::Option::Some(field_charge_id) = self.charge_id().transpose()
                {
                    f.field("charge_id", &field_charge_id);
                }
                f.field("amount_cents", &self.amount_cents());
                if let ::core::option::Option::Some(field_currency) = self.currency().transpose() {
                    f.field("currency", &field_currency);
                }
                if let ::core::option::Option::Some(field_note) = self.note().transpose() {
                    f.field("note", &field_note);
                }
                f.field("fee_cents", &self.fee_cents());
                f.finish()
            }
        }

        impl<'a> ::core::convert::TryFrom<ChargeV2Ref<'a>> for ChargeV2 {
            type Error = ::planus::Error;

            #[allow(unreachable_code)]
            fn try_from(value: ChargeV2Ref<'a>) -> ::planus::Result<Self> {
                ::core::result::Result::Ok(Self {
                    charge_id: value.charge_id()?.map(::core::convert::Into::into),
                    amount_cents: ::core::convert::TryInto::try_into(value.amount_cents()?)?,
                    currency: value.currency()?.map(::core::convert::Into::into),
                    note: value.note()?.map(::core::convert::Into::into),
                    fee_cents: ::core::convert::TryInto::try_into(value.fee_cents()?)?,
                })
            }
        }

        impl<'a> ::planus::TableRead<'a> for ChargeV2Ref<'a> {
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

        impl<'a> ::planus::VectorReadInner<'a> for ChargeV2Ref<'a> {
            type Error = ::planus::Error;
            const STRIDE: usize = 4;

            unsafe fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(buffer, offset).map_err(|error_kind| {
                    error_kind.with_error_location("[ChargeV2Ref]", "get", buffer.offset_from_start)
                })
            }
        }

        /// # Safety
        /// The planus compiler generates implementations that initialize
        /// the bytes in `write_values`.
        unsafe impl ::planus::VectorWrite<::planus::Offset<ChargeV2>> for ChargeV2 {
            type Value = ::planus::Offset<ChargeV2>;
            const STRIDE: usize = 4;
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> Self::Value {
                ::planus::WriteAs::prepare(self, builder)
            }

            #[inline]
            unsafe fn write_values(
                values: &[::planus::Offset<ChargeV2>],
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

        impl<'a> ::planus::ReadAsRoot<'a> for ChargeV2Ref<'a> {
            fn read_as_root(slice: &'a [u8]) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(
                    ::planus::SliceWithStartOffset {
                        buffer: slice,
                        offset_from_start: 0,
                    },
                    0,
                )
                .map_err(|error_kind| {
                    error_kind.with_error_location("[ChargeV2Ref]", "read_as_root", 0)
                })
            }
        }

        /// The table `ChargeRetyped` in the namespace `evolution`
        ///
        /// Generated from these locations:
        /// * Table `ChargeRetyped` in the file `schema/evolution.fbs:20`
        #[derive(Clone, Debug, PartialEq, PartialOrd, ::serde::Serialize, ::serde::Deserialize)]
        pub struct ChargeRetyped {
            /// The field `charge_id` in the table `ChargeRetyped`
            pub charge_id: ::core::option::Option<::planus::alloc::string::String>,
            /// The field `amount_cents` in the table `ChargeRetyped`
            pub amount_cents: f64,
            /// The field `currency` in the table `ChargeRetyped`
            pub currency: ::core::option::Option<::planus::alloc::string::String>,
        }

        #[allow(clippy::derivable_impls)]
        impl ::core::default::Default for ChargeRetyped {
            fn default() -> Self {
                Self {
                    charge_id: ::core::default::Default::default(),
                    amount_cents: 0.0,
                    currency: ::core::default::Default::default(),
                }
            }
        }

        impl ChargeRetyped {
            /// Creates a [ChargeRetypedBuilder] for serializing an instance of this table.
            #[inline]
            pub fn builder() -> ChargeRetypedBuilder<()> {
                ChargeRetypedBuilder(())
            }

            #[allow(clippy::too_many_arguments)]
            pub fn create(
                builder: &mut ::planus::Builder,
                field_charge_id: impl ::planus::WriteAsOptional<
                    ::planus::Offset<::core::primitive::str>,
                >,
                field_amount_cents: impl ::planus::WriteAsDefault<f64, f64>,
                field_currency: impl ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            ) -> ::planus::Offset<Self> {
                let prepared_charge_id = field_charge_id.prepare(builder);
                let prepared_amount_cents = field_amount_cents.prepare(builder, &0.0);
                let prepared_currency = field_currency.prepare(builder);

                let mut table_writer: ::planus::table_writer::TableWriter<10> =
                    ::core::default::Default::default();
                if prepared_amount_cents.is_some() {
                    table_writer.write_entry::<f64>(1);
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

        impl ::planus::WriteAs<::planus::Offset<ChargeRetyped>> for ChargeRetyped {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRetyped> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl ::planus::WriteAsOptional<::planus::Offset<ChargeRetyped>> for ChargeRetyped {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<ChargeRetyped>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl ::planus::WriteAsOffset<ChargeRetyped> for ChargeRetyped {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRetyped> {
                ChargeRetyped::create(builder, &self.charge_id, self.amount_cents, &self.currency)
            }
        }

        /// Builder for serializing an instance of the [ChargeRetyped] type.
        ///
        /// Can be created using the [ChargeRetyped::builder] method.
        #[derive(Debug)]
        #[must_use]
        pub struct ChargeRetypedBuilder<State>(State);

        impl ChargeRetypedBuilder<()> {
            /// Setter for the [`charge_id` field](ChargeRetyped#structfield.charge_id).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn charge_id<T0>(self, value: T0) -> ChargeRetypedBuilder<(T0,)>
            where
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                ChargeRetypedBuilder((value,))
            }

            /// Sets the [`charge_id` field](ChargeRetyped#structfield.charge_id) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn charge_id_as_null(self) -> ChargeRetypedBuilder<((),)> {
                self.charge_id(())
            }
        }

        impl<T0> ChargeRetypedBuilder<(T0,)> {
            /// Setter for the [`amount_cents` field](ChargeRetyped#structfield.amount_cents).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn amount_cents<T1>(self, value: T1) -> ChargeRetypedBuilder<(T0, T1)>
            where
                T1: ::planus::WriteAsDefault<f64, f64>,
            {
                let (v0,) = self.0;
                ChargeRetypedBuilder((v0, value))
            }

            /// Sets the [`amount_cents` field](ChargeRetyped#structfield.amount_cents) to the default value.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn amount_cents_as_default(
                self,
            ) -> ChargeRetypedBuilder<(T0, ::planus::DefaultValue)> {
                self.amount_cents(::planus::DefaultValue)
            }
        }

        impl<T0, T1> ChargeRetypedBuilder<(T0, T1)> {
            /// Setter for the [`currency` field](ChargeRetyped#structfield.currency).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn currency<T2>(self, value: T2) -> ChargeRetypedBuilder<(T0, T1, T2)>
            where
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                let (v0, v1) = self.0;
                ChargeRetypedBuilder((v0, v1, value))
            }

            /// Sets the [`currency` field](ChargeRetyped#structfield.currency) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn currency_as_null(self) -> ChargeRetypedBuilder<(T0, T1, ())> {
                self.currency(())
            }
        }

        impl<T0, T1, T2> ChargeRetypedBuilder<(T0, T1, T2)> {
            /// Finish writing the builder to get an [Offset](::planus::Offset) to a serialized [ChargeRetyped].
            #[inline]
            pub fn finish(self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRetyped>
            where
                Self: ::planus::WriteAsOffset<ChargeRetyped>,
            {
                ::planus::WriteAsOffset::prepare(&self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<f64, f64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAs<::planus::Offset<ChargeRetyped>>
            for ChargeRetypedBuilder<(T0, T1, T2)>
        {
            type Prepared = ::planus::Offset<ChargeRetyped>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRetyped> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<f64, f64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAsOptional<::planus::Offset<ChargeRetyped>>
            for ChargeRetypedBuilder<(T0, T1, T2)>
        {
            type Prepared = ::planus::Offset<ChargeRetyped>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<ChargeRetyped>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl<
                T0: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
                T1: ::planus::WriteAsDefault<f64, f64>,
                T2: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAsOffset<ChargeRetyped> for ChargeRetypedBuilder<(T0, T1, T2)>
        {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRetyped> {
                let (v0, v1, v2) = &self.0;
                ChargeRetyped::create(builder, v0, v1, v2)
            }
        }

        /// Reference to a deserialized [ChargeRetyped].
        #[derive(Copy, Clone)]
        pub struct ChargeRetypedRef<'a>(#[allow(dead_code)] ::planus::table_reader::Table<'a>);

        impl<'a> ChargeRetypedRef<'a> {
            /// Getter for the [`charge_id` field](ChargeRetyped#structfield.charge_id).
            #[inline]
            pub fn charge_id(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(0, "ChargeRetyped", "charge_id")
            }

            /// Getter for the [`amount_cents` field](ChargeRetyped#structfield.amount_cents).
            #[inline]
            pub fn amount_cents(&self) -> ::planus::Result<f64> {
                ::core::result::Result::Ok(
                    self.0
                        .access(1, "ChargeRetyped", "amount_cents")?
                        .unwrap_or(0.0),
                )
            }

            /// Getter for the [`currency` field](ChargeRetyped#structfield.currency).
            #[inline]
            pub fn currency(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(2, "ChargeRetyped", "currency")
            }
        }

        impl<'a> ::core::fmt::Debug for ChargeRetypedRef<'a> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut f = f.debug_struct("ChargeRetypedRef");
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

        impl<'a> ::core::convert::TryFrom<ChargeRetypedRef<'a>> for ChargeRetyped {
            type Error = ::planus::Error;

            #[allow(unreachable_code)]
            fn try_from(value: ChargeRetypedRef<'a>) -> ::planus::Result<Self> {
                ::core::result::Result::Ok(Self {
                    charge_id: value.charge_id()?.map(::core::convert::Into::into),
                    amount_cents: ::core::convert::TryInto::try_into(value.amount_cents()?)?,
                    currency: value.currency()?.map(::core::convert::Into::into),
                })
            }
        }

        impl<'a> ::planus::TableRead<'a> for ChargeRetypedRef<'a> {
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

        impl<'a> ::planus::VectorReadInner<'a> for ChargeRetypedRef<'a> {
            type Error = ::planus::Error;
            const STRIDE: usize = 4;

            unsafe fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(buffer, offset).map_err(|error_kind| {
                    error_kind.with_error_location(
                        "[ChargeRetypedRef]",
                        "get",
                        buffer.offset_from_start,
                    )
                })
            }
        }

        /// # Safety
        /// The planus compiler generates implementations that initialize
        /// the bytes in `write_values`.
        unsafe impl ::planus::VectorWrite<::planus::Offset<ChargeRetyped>> for ChargeRetyped {
            type Value = ::planus::Offset<ChargeRetyped>;
            const STRIDE: usize = 4;
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> Self::Value {
                ::planus::WriteAs::prepare(self, builder)
            }

            #[inline]
            unsafe fn write_values(
                values: &[::planus::Offset<ChargeRetyped>],
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

        impl<'a> ::planus::ReadAsRoot<'a> for ChargeRetypedRef<'a> {
            fn read_as_root(slice: &'a [u8]) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(
                    ::planus::SliceWithStartOffset {
                        buffer: slice,
                        offset_from_start: 0,
                    },
                    0,
                )
                .map_err(|error_kind| {
                    error_kind.with_error_location("[ChargeRetypedRef]", "read_as_root", 0)
                })
            }
        }

        /// The table `ChargeRemoved` in the namespace `evolution`
        ///
        /// Generated from these locations:
        /// * Table `ChargeRemoved` in the file `schema/evolution.fbs:28`
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
        pub struct ChargeRemoved {
            /// The field `amount_cents` in the table `ChargeRemoved`
            pub amount_cents: i64,
            /// The field `currency` in the table `ChargeRemoved`
            pub currency: ::core::option::Option<::planus::alloc::string::String>,
        }

        #[allow(clippy::derivable_impls)]
        impl ::core::default::Default for ChargeRemoved {
            fn default() -> Self {
                Self {
                    amount_cents: 0,
                    currency: ::core::default::Default::default(),
                }
            }
        }

        impl ChargeRemoved {
            /// Creates a [ChargeRemovedBuilder] for serializing an instance of this table.
            #[inline]
            pub fn builder() -> ChargeRemovedBuilder<()> {
                ChargeRemovedBuilder(())
            }

            #[allow(clippy::too_many_arguments)]
            pub fn create(
                builder: &mut ::planus::Builder,
                field_amount_cents: impl ::planus::WriteAsDefault<i64, i64>,
                field_currency: impl ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            ) -> ::planus::Offset<Self> {
                let prepared_amount_cents = field_amount_cents.prepare(builder, &0);
                let prepared_currency = field_currency.prepare(builder);

                let mut table_writer: ::planus::table_writer::TableWriter<8> =
                    ::core::default::Default::default();
                if prepared_amount_cents.is_some() {
                    table_writer.write_entry::<i64>(0);
                }
                if prepared_currency.is_some() {
                    table_writer.write_entry::<::planus::Offset<str>>(1);
                }

                unsafe {
                    table_writer.finish(builder, |object_writer| {
                        if let ::core::option::Option::Some(prepared_amount_cents) =
                            prepared_amount_cents
                        {
                            object_writer.write::<_, _, 8>(&prepared_amount_cents);
                        }
                        if let ::core::option::Option::Some(prepared_currency) = prepared_currency {
                            object_writer.write::<_, _, 4>(&prepared_currency);
                        }
                    });
                }
                builder.current_offset()
            }
        }

        impl ::planus::WriteAs<::planus::Offset<ChargeRemoved>> for ChargeRemoved {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRemoved> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl ::planus::WriteAsOptional<::planus::Offset<ChargeRemoved>> for ChargeRemoved {
            type Prepared = ::planus::Offset<Self>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<ChargeRemoved>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl ::planus::WriteAsOffset<ChargeRemoved> for ChargeRemoved {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRemoved> {
                ChargeRemoved::create(builder, self.amount_cents, &self.currency)
            }
        }

        /// Builder for serializing an instance of the [ChargeRemoved] type.
        ///
        /// Can be created using the [ChargeRemoved::builder] method.
        #[derive(Debug)]
        #[must_use]
        pub struct ChargeRemovedBuilder<State>(State);

        impl ChargeRemovedBuilder<()> {
            /// Setter for the [`amount_cents` field](ChargeRemoved#structfield.amount_cents).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn amount_cents<T0>(self, value: T0) -> ChargeRemovedBuilder<(T0,)>
            where
                T0: ::planus::WriteAsDefault<i64, i64>,
            {
                ChargeRemovedBuilder((value,))
            }

            /// Sets the [`amount_cents` field](ChargeRemoved#structfield.amount_cents) to the default value.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn amount_cents_as_default(
                self,
            ) -> ChargeRemovedBuilder<(::planus::DefaultValue,)> {
                self.amount_cents(::planus::DefaultValue)
            }
        }

        impl<T0> ChargeRemovedBuilder<(T0,)> {
            /// Setter for the [`currency` field](ChargeRemoved#structfield.currency).
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn currency<T1>(self, value: T1) -> ChargeRemovedBuilder<(T0, T1)>
            where
                T1: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            {
                let (v0,) = self.0;
                ChargeRemovedBuilder((v0, value))
            }

            /// Sets the [`currency` field](ChargeRemoved#structfield.currency) to null.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn currency_as_null(self) -> ChargeRemovedBuilder<(T0, ())> {
                self.currency(())
            }
        }

        impl<T0, T1> ChargeRemovedBuilder<(T0, T1)> {
            /// Finish writing the builder to get an [Offset](::planus::Offset) to a serialized [ChargeRemoved].
            #[inline]
            pub fn finish(self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRemoved>
            where
                Self: ::planus::WriteAsOffset<ChargeRemoved>,
            {
                ::planus::WriteAsOffset::prepare(&self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsDefault<i64, i64>,
                T1: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAs<::planus::Offset<ChargeRemoved>>
            for ChargeRemovedBuilder<(T0, T1)>
        {
            type Prepared = ::planus::Offset<ChargeRemoved>;

            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRemoved> {
                ::planus::WriteAsOffset::prepare(self, builder)
            }
        }

        impl<
                T0: ::planus::WriteAsDefault<i64, i64>,
                T1: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAsOptional<::planus::Offset<ChargeRemoved>>
            for ChargeRemovedBuilder<(T0, T1)>
        {
            type Prepared = ::planus::Offset<ChargeRemoved>;

            #[inline]
            fn prepare(
                &self,
                builder: &mut ::planus::Builder,
            ) -> ::core::option::Option<::planus::Offset<ChargeRemoved>> {
                ::core::option::Option::Some(::planus::WriteAsOffset::prepare(self, builder))
            }
        }

        impl<
                T0: ::planus::WriteAsDefault<i64, i64>,
                T1: ::planus::WriteAsOptional<::planus::Offset<::core::primitive::str>>,
            > ::planus::WriteAsOffset<ChargeRemoved> for ChargeRemovedBuilder<(T0, T1)>
        {
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> ::planus::Offset<ChargeRemoved> {
                let (v0, v1) = &self.0;
                ChargeRemoved::create(builder, v0, v1)
            }
        }

        /// Reference to a deserialized [ChargeRemoved].
        #[derive(Copy, Clone)]
        pub struct ChargeRemovedRef<'a>(#[allow(dead_code)] ::planus::table_reader::Table<'a>);

        impl<'a> ChargeRemovedRef<'a> {
            /// Getter for the [`amount_cents` field](ChargeRemoved#structfield.amount_cents).
            #[inline]
            pub fn amount_cents(&self) -> ::planus::Result<i64> {
                ::core::result::Result::Ok(
                    self.0
                        .access(0, "ChargeRemoved", "amount_cents")?
                        .unwrap_or(0),
                )
            }

            /// Getter for the [`currency` field](ChargeRemoved#structfield.currency).
            #[inline]
            pub fn currency(
                &self,
            ) -> ::planus::Result<::core::option::Option<&'a ::core::primitive::str>> {
                self.0.access(1, "ChargeRemoved", "currency")
            }
        }

        impl<'a> ::core::fmt::Debug for ChargeRemovedRef<'a> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut f = f.debug_struct("ChargeRemovedRef");
                f.field("amount_cents", &self.amount_cents());
                if let ::core::option::Option::Some(field_currency) = self.currency().transpose() {
                    f.field("currency", &field_currency);
                }
                f.finish()
            }
        }

        impl<'a> ::core::convert::TryFrom<ChargeRemovedRef<'a>> for ChargeRemoved {
            type Error = ::planus::Error;

            #[allow(unreachable_code)]
            fn try_from(value: ChargeRemovedRef<'a>) -> ::planus::Result<Self> {
                ::core::result::Result::Ok(Self {
                    amount_cents: ::core::convert::TryInto::try_into(value.amount_cents()?)?,
                    currency: value.currency()?.map(::core::convert::Into::into),
                })
            }
        }

        impl<'a> ::planus::TableRead<'a> for ChargeRemovedRef<'a> {
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

        impl<'a> ::planus::VectorReadInner<'a> for ChargeRemovedRef<'a> {
            type Error = ::planus::Error;
            const STRIDE: usize = 4;

            unsafe fn from_buffer(
                buffer: ::planus::SliceWithStartOffset<'a>,
                offset: usize,
            ) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(buffer, offset).map_err(|error_kind| {
                    error_kind.with_error_location(
                        "[ChargeRemovedRef]",
                        "get",
                        buffer.offset_from_start,
                    )
                })
            }
        }

        /// # Safety
        /// The planus compiler generates implementations that initialize
        /// the bytes in `write_values`.
        unsafe impl ::planus::VectorWrite<::planus::Offset<ChargeRemoved>> for ChargeRemoved {
            type Value = ::planus::Offset<ChargeRemoved>;
            const STRIDE: usize = 4;
            #[inline]
            fn prepare(&self, builder: &mut ::planus::Builder) -> Self::Value {
                ::planus::WriteAs::prepare(self, builder)
            }

            #[inline]
            unsafe fn write_values(
                values: &[::planus::Offset<ChargeRemoved>],
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

        impl<'a> ::planus::ReadAsRoot<'a> for ChargeRemovedRef<'a> {
            fn read_as_root(slice: &'a [u8]) -> ::planus::Result<Self> {
                ::planus::TableRead::from_buffer(
                    ::planus::SliceWithStartOffset {
                        buffer: slice,
                        offset_from_start: 0,
                    },
                    0,
                )
                .map_err(|error_kind| {
                    error_kind.with_error_location("[ChargeRemovedRef]", "read_as_root", 0)
                })
            }
        }
    }
}
